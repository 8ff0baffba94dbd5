// Progressive enhancement of the admin's forms (the pages work without it; CSP allows no inline script):
// - item forms: Salable qty = current stock + backorder threshold, kept live as the merchant types;
//   "Unlimited" disables the threshold input; the assign form warns while any threshold is 0;
// - the unassign form: the warning shows while neither choice is ticked;
// - lists: a "select all" checkbox ticks every row's checkbox;
// - after an action: a refused form's summary of problems, else what the action did (the flashes), takes focus.
(() => {
  // After a submit the new page starts at the top with focus on nothing, and a screen reader does not read a status
  // that is there when the page loads: the merchant starts from what happened (what to fix, what was saved or why
  // nothing was) and tabs on into the page. The control panel's frame is cross-origin, where Chromium ignores
  // `autofocus`; a script's focus() is allowed.
  (document.querySelector('[data-error-summary]') ?? document.querySelector('[data-flashes]'))?.focus();

  const whole = (text) => (/^\s*[-+]?\d+\s*$/.test(text) ? Number(text) : undefined);

  const zeroWarning = document.querySelector('[data-zero-warning]');
  const warnOfZero = () => {
    if (!zeroWarning) return;
    zeroWarning.hidden = ![...document.querySelectorAll('[data-item-row]')].some(
      (row) => !row.querySelector('[data-unlimited]').checked && whole(row.querySelector('[data-threshold]').value) === 0,
    );
  };

  for (const row of document.querySelectorAll('[data-item-row]')) {
    const stock = row.querySelector('[data-stock]');
    const threshold = row.querySelector('[data-threshold]');
    const unlimited = row.querySelector('[data-unlimited]');
    const salable = row.querySelector('[data-salable]');
    const update = () => {
      threshold.disabled = unlimited.checked;
      warnOfZero();
      if (unlimited.checked) {
        salable.textContent = 'Unlimited';
        return;
      }
      const s = whole(stock.value);
      const t = whole(threshold.value);
      salable.textContent = s === undefined || t === undefined ? '' : String(s + t);
    };
    for (const input of [stock, threshold, unlimited]) input.addEventListener('input', update);
    unlimited.addEventListener('change', () => {
      update();
      // Unticked to set a number: the number is asked for next (an empty one is refused on save).
      if (!unlimited.checked) threshold.focus();
    });
    update();
  }

  for (const form of document.querySelectorAll('[data-unassign-form]')) {
    const choices = [...form.querySelectorAll('[data-choice]')];
    const warning = form.querySelector('[data-neither-warning]');
    const update = () => {
      warning.hidden = choices.some((c) => c.checked);
    };
    for (const choice of choices) choice.addEventListener('change', update);
    update();
  }

  for (const all of document.querySelectorAll('[data-select-all]')) {
    const boxes = () => [
      ...document.querySelectorAll(`input[type=checkbox][form="${all.dataset.selectAll}"], #${all.dataset.selectAll} input[type=checkbox][name=ids]`),
    ];
    all.addEventListener('change', () => {
      for (const box of boxes()) box.checked = all.checked;
    });
  }
})();

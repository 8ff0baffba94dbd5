// Progressive enhancement of the Settings form (it works without it; CSP allows no inline script):
// - a placeholder button inserts its {placeholder} at the caret of its text;
// - each colour gets a picker beside its hex field, both kept in step;
// - the Custom theme's selectors show while Custom is chosen;
// - "Reset to defaults" refills its group's fields in place (the preview follows), without a round trip, and says so;
// - a text's warning that {salable} hides it for items with unlimited backorders follows what is typed.
(() => {
  const form = document.querySelector('form[data-settings-form]');
  if (!form) return;
  const changed = (input) => input.dispatchEvent(new Event('input', { bubbles: true }));

  for (const button of form.querySelectorAll('[data-insert]')) {
    button.addEventListener('click', () => {
      const input = document.getElementById(button.dataset.target);
      const start = input.selectionStart ?? input.value.length;
      const end = input.selectionEnd ?? start;
      input.setRangeText(button.dataset.insert, start, end, 'end');
      input.focus();
      changed(input);
    });
  }

  const full = (hex) => (/^#[0-9a-f]{3}$/i.test(hex) ? `#${[...hex.slice(1)].map((d) => d + d).join('')}` : hex).toLowerCase();
  for (const picker of form.querySelectorAll('input[type=color][data-colour-for]')) {
    const text = document.getElementById(picker.dataset.colourFor);
    picker.hidden = false;
    picker.addEventListener('input', () => {
      text.value = picker.value;
      changed(text);
    });
    text.addEventListener('input', () => {
      if (/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(text.value.trim())) picker.value = full(text.value.trim());
    });
  }

  for (const caution of form.querySelectorAll('[data-salable-caution]')) {
    const text = document.getElementById(caution.dataset.salableCaution);
    text.addEventListener('input', () => (caution.hidden = !text.value.includes('{salable}')));
  }

  const profile = form.querySelector('[name="storefront.themeProfile"]');
  const selectors = form.querySelector('[data-custom-selectors]');
  if (profile && selectors) profile.addEventListener('change', () => (selectors.hidden = profile.value !== 'custom'));

  for (const reset of form.querySelectorAll('[data-reset-group]')) {
    // Said once done, as the page without this script says it: the fields change in place, out of sight of a screen reader.
    const said = form.querySelector(`[data-reset-said="${reset.dataset.resetGroup}"]`);
    reset.addEventListener('click', (event) => {
      event.preventDefault();
      const group = form.querySelector(`[data-settings-group="${reset.dataset.resetGroup}"]`);
      for (const input of group.querySelectorAll('[data-default]')) {
        if (input.type === 'checkbox') input.checked = input.dataset.default === 'true';
        else input.value = input.dataset.default;
        changed(input);
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }
      if (said) said.textContent = said.dataset.text;
    });
  }
})();

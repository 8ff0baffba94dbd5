// While the Plan page waits for BigCommerce ([data-plan-waiting]), asks the app where the checkout stands,
// backing off (2 s, 4 s, 8 s … at most 30 s), and reloads the page once the plan has changed. The app asks
// BigCommerce at most every 2 s whatever the pages do, and a job keeps asking after the page is closed.
(() => {
  const section = document.querySelector('[data-plan-waiting]');
  if (!section) return;
  let delay = 2000;
  const poll = async () => {
    try {
      const response = await fetch(section.dataset.url, { headers: { Accept: 'application/json' } });
      if (response.ok) {
        const { progress } = await response.json();
        if (progress === 'applied' || progress === 'none') {
          window.location.reload();
          return;
        }
      }
    } catch {
      // Not reachable now: try again later.
    }
    delay = Math.min(delay * 2, 30_000);
    setTimeout(poll, delay);
  };
  setTimeout(poll, delay);
})();

// Keeps every progress bar on the page ([data-job-progress]) in step with its job: polls the job's JSON
// (carrying the page's session in its URL, as every admin link does; never a cookie) until it has finished, then
// offers to show the results — or, on a page whose outcome is that job's (an import's page, [data-reload]), shows
// them at once; a screen reader is told how the job ended, not every count on the way. Loaded as a file because the
// admin's CSP allows no inline script.
(() => {
  const INTERVAL_MS = 1000;

  // The words come with the job's JSON (server/jobs/job-view.ts), as the page rendered them.
  function render(section, job) {
    const bar = section.querySelector('progress');
    const message = section.querySelector('[data-job-message]');
    section.className = `bo-job bo-job--${job.status}`;
    if (job.total) {
      bar.max = job.total;
      bar.value = Math.min(job.done, job.total);
    } else if (job.finished) {
      bar.max = 1;
      bar.value = 1;
    } else {
      bar.removeAttribute('value');
    }
    bar.textContent = job.barText;
    section.querySelector('[data-job-count]').textContent = job.countText;
    if (message.textContent !== job.statusText) message.textContent = job.statusText;
    if (job.finished) {
      section.querySelector('[data-job-done]').hidden = false;
      say(section, job.statusText);
    }
  }

  // What a screen reader hears of a job: how it ended (or why it can no longer be followed), once.
  function say(section, text) {
    const outcome = section.querySelector('[data-job-outcome]');
    if (outcome && outcome.textContent !== text) outcome.textContent = text;
  }

  // The results link, carrying the session the last answer renewed.
  function resultsUrl(section, session) {
    const link = section.querySelector('[data-job-done] a');
    const next = new URL(link.getAttribute('href'), location.href);
    if (session) next.searchParams.set('session', session);
    link.setAttribute('href', `${next.pathname}${next.search}`);
    return link.href;
  }

  function follow(section) {
    let url = section.dataset.url;
    const poll = async () => {
      let job;
      try {
        const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
        if (response.status === 401) {
          const expired = 'Your session has expired: open BackOrder again to see the progress.';
          section.querySelector('[data-job-message]').textContent = expired;
          say(section, expired);
          return;
        }
        if (!response.ok) throw new Error(String(response.status));
        job = await response.json();
      } catch {
        // A network hiccup: try again at the next tick.
        setTimeout(poll, INTERVAL_MS * 3);
        return;
      }
      // The answer carries a renewed session, so a page left open keeps following.
      if (job.session) {
        const next = new URL(url, location.href);
        next.searchParams.set('session', job.session);
        url = `${next.pathname}${next.search}`;
      }
      render(section, job);
      const results = resultsUrl(section, job.session);
      if (job.finished && 'reload' in section.dataset) location.assign(results);
      else if (!job.finished) setTimeout(poll, INTERVAL_MS);
    };
    setTimeout(poll, INTERVAL_MS);
  }

  for (const section of document.querySelectorAll('[data-job-progress]')) {
    if (!section.classList.contains('bo-job--succeeded') && !section.classList.contains('bo-job--failed')) follow(section);
  }
})();

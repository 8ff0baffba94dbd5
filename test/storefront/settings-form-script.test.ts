import { expect, fixtureSync, html } from '@open-wc/testing';

describe('the Settings form script (admin/assets/settings-form.js)', () => {
  it('when the merchant types {salable} into a text that would then hide for unlimited items, then its warning shows; taken out, it hides', async () => {
    const form = fixtureSync<HTMLFormElement>(html`<form data-settings-form>
      <p data-salable-caution="sf-inventoryDescription-backorderText" hidden>Not shown for items with unlimited backorders</p>
      <input id="sf-inventoryDescription-backorderText" name="storefront.inventoryDescription.backorderText" value="On backorder" />
    </form>`);
    // The script enhances the form that is on the page when it runs: loaded as the admin page loads it.
    const script = document.createElement('script');
    script.src = '/admin/assets/settings-form.js';
    const loaded = new Promise((resolve, reject) => ((script.onload = resolve), (script.onerror = reject)));
    document.head.append(script);
    await loaded;
    script.remove();
    const text = form.querySelector('input')!;
    const caution = form.querySelector<HTMLElement>('[data-salable-caution]')!;
    const type = (value: string) => {
      text.value = value;
      text.dispatchEvent(new Event('input', { bubbles: true }));
    };
    type('Only {salable} left');
    expect(caution.hidden).to.equal(false);
    type('On backorder');
    expect(caution.hidden).to.equal(true);
  });
});

/**
 * The admin's live preview of the Settings tab, loaded from the app's own storefront bundle: the same
 * components and texts shoppers get, given the settings as the merchant types them, before saving. It
 * also keeps the colour pairs' WCAG AA warnings current with the storefront's own contrast arithmetic.
 */
import { contrastAdvice } from '../contract/contrast-advice.ts';
import { settingsFromForm } from './form-settings.ts';
import { loadComponents, mountSamples, quietSamples } from './samples.ts';

/** Shows every change of `form` in the samples of `preview`; resolves to a function that stops listening. */
export async function startPreview(form: HTMLFormElement, preview: HTMLElement): Promise<() => void> {
  await loadComponents();
  const components = mountSamples(preview);
  const update = () => {
    const settings = settingsFromForm(form);
    for (const component of components) component.settings = settings;
    for (const warning of Array.from(form.querySelectorAll<HTMLElement>('[data-contrast-warning]'))) {
      const colour = (id: string | undefined) => (id ? (document.getElementById(id) as HTMLInputElement | null)?.value.trim() : '') ?? '';
      const advice = contrastAdvice(colour(warning.dataset['text']), colour(warning.dataset['background']));
      if (warning.textContent !== advice) warning.textContent = advice;
    }
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
  await quietSamples(components);
  preview.setAttribute('data-preview-ready', '');
  return () => {
    form.removeEventListener('input', update);
    form.removeEventListener('change', update);
  };
}

const form = document.querySelector<HTMLFormElement>('form[data-settings-form]');
const preview = document.querySelector<HTMLElement>('[data-settings-preview]');
if (form && preview) startPreview(form, preview).catch((error: unknown) => console.error('[backorder] the preview could not start', error));

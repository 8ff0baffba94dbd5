/**
 * What a posted Settings form changes: the fields typed other than the page showed them, as its hidden
 * inputs say, read back exactly; conflicts where someone else changed the same field since.
 */
import { describe, expect, it } from 'vitest';
import { formChanges, shownAgain } from '../../../server/settings/form-changes.ts';
import { deepMerge, fieldsOf } from '../../../server/settings/patch.ts';
import { readSettingsForm, settingsFormValues } from '../../../server/settings/settings-form.ts';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../../server/settings/settings.schema.ts';
import { everyFieldChanged } from '../../helpers/settings-form.ts';

/** The hidden inputs a page showing `settings` carries, as posted. */
const shownPosted = (settings: Settings) => Object.fromEntries(settingsFormValues(settings, settings).shown.map((input) => [input.name, input.value]));

describe('what the Settings page says it showed', () => {
  it.each([
    ['the defaults', DEFAULT_SETTINGS],
    ['every field changed', everyFieldChanged()],
  ])('when a page shows %s, then its hidden inputs read back as every field of the form, exactly', (_case, settings) => {
    const shown = readSettingsForm(shownPosted(settings)).shown!;
    // The limit mode has a form of its own; every other field is carried.
    expect(fieldsOf(shown).length).toBe(fieldsOf(settings).length - 1);
    expect(deepMerge(DEFAULT_SETTINGS, shown)).toEqual(settings);
    expect(formChanges(shown, shown, settings)).toEqual({ changes: {}, shownBefore: {}, conflicts: [] });
  });
});

describe('what a posted form changes', () => {
  const now = (badge: string) => settingsSchema.parse({ storefront: { badge: { backorderText: badge } } });
  const badge = (text: string) => ({ storefront: { badge: { backorderText: text } } });

  it('when a field is posted as the page showed it, then it changes nothing, whatever the settings are now', () => {
    expect(formChanges(badge('Backorder'), badge('Backorder'), now('Pre-order now')).changes).toEqual({});
    // Spaces around it and CR LF line breaks are not changes: the settings keep neither.
    expect(formChanges(badge('  Backorder '), badge('Backorder'), now('Pre-order now')).changes).toEqual({});
    const note = (message: string) => ({ orderNote: { message } });
    const noted = settingsSchema.parse(note('Backordered:\nbelow'));
    expect(formChanges(note('Backordered:\r\nbelow'), note('Backordered:\r\nbelow'), noted).changes).toEqual({});
  });

  it('when the merchant changed a field nobody else did, then it is the change; when both changed it alike, then nothing is left to change', () => {
    expect(formChanges(badge('Soon'), badge('Backorder'), now('Backorder'))).toEqual({
      changes: badge('Soon'),
      shownBefore: badge('Backorder'),
      conflicts: [],
    });
    expect(formChanges(badge('Soon'), badge('Backorder'), now('Soon')).changes).toEqual({});
  });

  it('when someone else changed the field the merchant changed, then it is a conflict naming the three values; shown again naming it, the page says it showed the value now', () => {
    const current = now('Pre-order now');
    const changes = formChanges(badge('Soon'), badge('Backorder'), current);
    expect(changes.conflicts).toEqual([{ field: 'storefront.badge.backorderText', shown: 'Backorder', now: 'Pre-order now', typed: 'Soon' }]);
    expect(shownAgain(current, changes, true).storefront.badge.backorderText).toBe('Pre-order now');
    // Shown again for another reason (a group reset), it still says what the first page showed: saving names the conflict.
    expect(shownAgain(current, changes, false).storefront.badge.backorderText).toBe('Backorder');
  });

  it('when a page from before it said what it showed is posted, then its fields are compared with the settings now', () => {
    expect(formChanges(badge('Soon'), undefined, now('Pre-order now'))).toEqual({
      changes: badge('Soon'),
      shownBefore: badge('Pre-order now'),
      conflicts: [],
    });
  });
});

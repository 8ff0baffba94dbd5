import { expect } from '@open-wc/testing';
import { fillText, formatDate, resolveLocale } from '../../storefront/src/lib/text.ts';

describe('dates, numbers and texts', () => {
  const lang = document.documentElement.lang;
  afterEach(() => (document.documentElement.lang = lang));

  it('when a back-in-stock date is formatted, then it is that calendar day in the locale, whatever the time zone', () => {
    expect(formatDate('2030-03-14', 'en-US', 'long')).to.equal('March 14, 2030');
    expect(formatDate('2030-03-14', 'de-DE', 'long')).to.equal('14. März 2030');
    expect(formatDate('2030-01-01', 'en-GB', 'medium')).to.equal('1 Jan 2030');
    expect(formatDate('2030-12-31', 'ja-JP', 'medium')).to.equal('2030/12/31');
  });

  it('when the date is missing or not a real YYYY-MM-DD day, then there is none to show', () => {
    for (const value of [null, undefined, '', '2030-02-30', '14/03/2030', '2030-3-14']) expect(formatDate(value, 'en-US', 'long')).to.equal(null);
  });

  it('when the store sets no locale, then the page language wins over the browser’s; a bad tag is skipped', () => {
    document.documentElement.lang = 'de-DE';
    expect(resolveLocale('')).to.equal('de-DE');
    expect(resolveLocale('fr-FR')).to.equal('fr-FR');
    document.documentElement.lang = 'not a tag!';
    expect(resolveLocale('')).to.equal(Intl.DateTimeFormat.supportedLocalesOf(navigator.language)[0]);
  });

  it('when placeholders are filled, then numbers are localised and the text stays plain', () => {
    expect(fillText('{backordered} of {quantity} will be backordered.', { backordered: 1200, quantity: 1500 }, 'de-DE')).to.equal(
      '1.200 of 1.500 will be backordered.',
    );
    expect(fillText('<b>{name}</b>', { name: '<img src=x>' }, 'en-US')).to.equal('<b><img src=x></b>');
  });

  it('when a value is unknown (numbers withheld) or the text is empty, then nothing is shown', () => {
    expect(fillText('Only {salable} can be ordered.', { salable: null }, 'en-US')).to.equal(null);
    expect(fillText('   ', {}, 'en-US')).to.equal(null);
    expect(fillText('Part of this will be backordered.', { backordered: null }, 'en-US')).to.equal('Part of this will be backordered.');
  });
});

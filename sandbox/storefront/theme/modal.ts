/**
 * Cornerstone-style modals (`#modal`, `#previewModal`, `#alert-modal`, stencil §1.5): opening and closing
 * trigger the Foundation reveal events as jQuery events on the modal element (`open.fndtn.reveal`,
 * `opened.fndtn.reveal`, `close.fndtn.reveal`, `closed.fndtn.reveal`), and new content triggers
 * `loaded.data.custom`, as Cornerstone's modal.js does. A modal nested in another (the quick view's copy of
 * `#previewModal`) is moved to `<body>` when opened, as a reveal modal shows on top of the page.
 */
import $ from 'jquery';

export class Modal {
  readonly $modal: JQuery;
  readonly $content: JQuery;

  constructor(element: HTMLElement) {
    this.$modal = $(element);
    this.$content = this.$modal.find('.modal-content').first();
  }

  get isOpen(): boolean {
    return this.$modal.hasClass('open');
  }

  open(options: { size?: 'large' | 'small'; pending?: boolean } = {}): void {
    if (this.$modal.parent().closest('.modal').length > 0) {
      const id = this.$modal.attr('id');
      if (id) $(document.body).children(`[id="${id}"]`).not(this.$modal).remove(); // an earlier moved copy
      this.$modal.appendTo(document.body);
    }
    $('.modal.open')
      .not(this.$modal)
      .each((_, other) => new Modal(other).close());
    if (options.size === 'large') this.$modal.addClass('modal--large');
    if (options.pending) this.$content.empty();
    this.$modal.toggleClass('is-loading', Boolean(options.pending));
    this.$modal.trigger('open.fndtn.reveal');
    this.$modal.addClass('open').attr('aria-hidden', 'false').css('display', 'block');
    $('body').addClass('has-activeModal');
    this.$modal.trigger('opened.fndtn.reveal');
  }

  close(): void {
    if (!this.isOpen) return;
    this.$modal.trigger('close.fndtn.reveal');
    this.$modal.removeClass('open is-loading').attr('aria-hidden', 'true').css('display', 'none');
    if ($('.modal.open').length === 0) $('body').removeClass('has-activeModal');
    this.$modal.trigger('closed.fndtn.reveal');
  }

  updateContent(content: string): void {
    this.$modal.removeClass('is-loading');
    this.$content.html(content);
    this.$modal.trigger('loaded.data.custom');
  }
}

/** The first element matching `selector` as a modal (jQuery `$('#id')` finds the first of repeated ids). */
export function modalFor(selector: string): Modal | undefined {
  const element = $(selector).get(0);
  return element ? new Modal(element) : undefined;
}

/** `#alert-modal` with a text (HTML stripped), as Cornerstone's `showAlertModal`. */
export function showAlertModal(message: string): void {
  const modal = modalFor('#alert-modal');
  if (!modal) return;
  modal.$content.text($('<div>').html(message).text());
  modal.open();
}

/** Closing: close buttons and `[data-reveal-close]` links, a click on the backdrop, Escape. */
export function bindModalClosing(): void {
  $('body').on('click', '[data-reveal-close], .modal-close', (event) => {
    event.preventDefault();
    const element = $(event.currentTarget).closest('.modal').get(0);
    if (element) new Modal(element).close();
  });
  $(document).on('keydown', (event) => {
    if (event.key === 'Escape') $('.modal.open').each((_, element) => new Modal(element).close());
  });
}

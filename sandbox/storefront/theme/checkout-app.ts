/**
 * The stand-in for BigCommerce's checkout-js (a React app rendered into `#checkout-app` after the page
 * loads, stencil §6): it reads the checkout (`/api/storefront/checkouts/{id}`) or the order
 * (`/api/storefront/orders/{id}`) and renders checkout-js's order summary anchors — `ul.productList` >
 * `li.productList-item` > `div.product[data-test="cart-item"]` with `h4.product-title` ("{qty} x {name}"),
 * the options under it (`ul.product-options` > `li.product-option` "{name} {value}", only for a line with
 * options), price — physical items sorted by variant id, collapsed to 4 rows behind "See All". The checkout
 * has one simple customer/billing step and places the order as checkout-sdk does
 * (billing address, then `POST /internalapi/v1/checkout/order`), then opens the order confirmation.
 */

interface Item {
  id: string | number;
  variantId: number;
  name: string;
  quantity: number;
  extendedSalePrice: number;
  options?: Array<{ name: string; value: string }>;
}

declare global {
  interface Window {
    checkoutApp: {
      renderCheckout(options: { containerId: string; checkoutId: string }): Promise<void>;
      renderOrderConfirmation(options: { containerId: string; orderId: number }): Promise<void>;
    };
  }
}

const COLLAPSED_ROWS = 4;
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

function element(tag: string, attributes: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function itemRow(item: Item): HTMLElement {
  const title = element(
    'h4',
    { class: 'product-title optimizedCheckout-contentPrimary body-medium', 'data-test': 'cart-item-product-title' },
    element('span', { class: 'body-bold' }, `${item.quantity} x `),
    item.name,
  );
  // OrderSummaryItem.tsx lists options only when the line has some; mapFromPhysical.tsx writes each "{name} {value}".
  const options = item.options?.length
    ? [
        element(
          'ul',
          { class: 'product-options optimizedCheckout-contentSecondary sub-text-medium', 'data-test': 'cart-item-product-options' },
          ...item.options.map((o) => element('li', { class: 'product-option', 'data-test': 'cart-item-product-option' }, `${o.name} ${o.value}`)),
        ),
      ]
    : [];
  return element(
    'li',
    { class: 'productList-item is-visible' },
    element(
      'div',
      { class: 'product', 'data-test': 'cart-item' },
      element(
        'figure',
        { class: 'product-column product-figure' },
        element('img', { alt: item.name, 'data-test': 'cart-item-image', src: '/assets/img/product.svg' }),
      ),
      element('div', { class: 'product-column product-body' }, title, ...options),
      element(
        'div',
        { class: 'product-column product-actions' },
        element(
          'div',
          { class: 'product-price optimizedCheckout-contentPrimary', 'data-test': 'cart-item-product-price' },
          money.format(item.extendedSalePrice),
        ),
      ),
    ),
  );
}

/** The order summary (`article.cart[data-test="cart"]`), with "See All" beyond 4 rows. */
function orderSummary(items: Item[], total: number): HTMLElement {
  const sorted = [...items].sort((a, b) => a.variantId - b.variantId);
  const count = sorted.reduce((sum, i) => sum + i.quantity, 0);
  const list = element('ul', { class: 'productList', 'aria-live': 'polite' });
  const render = (all: boolean) => list.replaceChildren(...(all ? sorted : sorted.slice(0, COLLAPSED_ROWS)).map(itemRow));
  render(false);
  const section = element(
    'section',
    { class: 'cart-section optimizedCheckout-orderSummary-cartSection' },
    element(
      'h3',
      { class: 'cart-section-heading optimizedCheckout-contentPrimary', 'data-test': 'cart-count-total' },
      `${count} ${count === 1 ? 'Item' : 'Items'}`,
    ),
    list,
  );
  if (sorted.length > COLLAPSED_ROWS) {
    const toggle = element('button', { class: 'button button--tertiary button--tiny optimizedCheckout-buttonSecondary', type: 'button' }, 'See All');
    let expanded = false;
    toggle.addEventListener('click', () => {
      expanded = !expanded;
      render(expanded);
      toggle.textContent = expanded ? 'See Less' : 'See All';
    });
    section.append(element('div', { class: 'cart-actions' }, toggle));
  }
  return element(
    'article',
    { class: 'cart optimizedCheckout-orderSummary', 'data-test': 'cart' },
    element(
      'header',
      { class: 'cart-header' },
      element('h3', { class: 'cart-title optimizedCheckout-headingSecondary' }, 'Order Summary'),
      element('a', { class: 'cart-header-link', href: '/cart.php', id: 'cart-edit-link' }, 'Edit Cart'),
    ),
    section,
    element(
      'section',
      { class: 'cart-section optimizedCheckout-orderSummary-cartSection' },
      element(
        'div',
        { class: 'cart-priceItem cart-priceItem--total', 'data-test': 'cart-total' },
        element('span', { class: 'cart-priceItem-label' }, 'Total (USD)'),
        element('span', { class: 'cart-priceItem-value' }, money.format(total)),
      ),
    ),
  );
}

async function getJson(url: string): Promise<any> {
  const response = await fetch(url, { credentials: 'include', headers: { Accept: 'application/vnd.bc.v1+json' } });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

function field(label: string, name: string, type = 'text', required = true): HTMLElement {
  const id = `${name}Input`;
  return element(
    'div',
    { class: `form-field form-field--${name}` },
    element('label', { class: 'form-label optimizedCheckout-form-label', for: id }, label),
    element('input', { class: 'form-input optimizedCheckout-form-input', id, name, type, ...(required ? { required: '' } : {}) }),
  );
}

function layout(main: HTMLElement, aside: HTMLElement): HTMLElement {
  return element(
    'div',
    { class: 'layout optimizedCheckout-contentPrimary' },
    element('main', { class: 'layout-main' }, main),
    element('aside', { class: 'layout-cart' }, aside),
  );
}

async function renderCheckout({ containerId, checkoutId }: { containerId: string; checkoutId: string }): Promise<void> {
  const container = document.getElementById(containerId)!;
  const include = 'cart.lineItems.physicalItems.options';
  const checkout = await getJson(`/api/storefront/checkouts/${checkoutId}?include=${include}`);
  const form = element(
    'form',
    { class: 'checkout-form', 'data-test': 'checkout-form', novalidate: '' },
    element(
      'fieldset',
      { class: 'form-fieldset' },
      element('legend', { class: 'form-legend optimizedCheckout-headingSecondary' }, 'Customer'),
      field('Email', 'email', 'email'),
      field('First Name', 'firstName'),
      field('Last Name', 'lastName'),
      field('Address', 'address1'),
      field('City', 'city'),
      field('State/Province', 'stateOrProvince'),
      field('Postal Code', 'postalCode'),
    ),
    element(
      'fieldset',
      { class: 'form-fieldset' },
      element('legend', { class: 'form-legend optimizedCheckout-headingSecondary' }, 'Order Comments'),
      element('textarea', { class: 'form-input optimizedCheckout-form-input', name: 'orderComment', id: 'orderComment', 'aria-label': 'Order comments' }),
    ),
    element('div', { class: 'checkout-alert', role: 'alert' }),
    element(
      'div',
      { class: 'form-actions' },
      element('button', { class: 'button button--primary optimizedCheckout-buttonPrimary', id: 'checkout-place-order', type: 'submit' }, 'Place Order'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void placeOrder(form as HTMLFormElement, checkoutId);
  });
  container.replaceChildren(
    layout(
      element('ol', { class: 'checkout-steps' }, element('li', { class: 'checkout-step optimizedCheckout-checkoutStep checkout-step--customer' }, form)),
      orderSummary(checkout.cart.lineItems.physicalItems as Item[], checkout.grandTotal as number),
    ),
  );
}

async function placeOrder(form: HTMLFormElement, checkoutId: string): Promise<void> {
  const alert = form.querySelector('.checkout-alert')!;
  const button = form.querySelector('button[type=submit]') as HTMLButtonElement;
  if (!form.checkValidity()) {
    alert.textContent = 'Please fill in every required field.';
    return;
  }
  const values: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value === 'string') values[key] = value.trim();
  });
  button.disabled = true;
  alert.textContent = '';
  try {
    const post = async (url: string, body: unknown) => {
      const response = await fetch(url, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json', Accept: 'application/vnd.bc.v1+json' },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(answer.detail ?? answer.title ?? `The order could not be placed (${response.status}).`);
      return answer;
    };
    await post(`/api/storefront/checkouts/${checkoutId}/billing-address`, { ...values, countryCode: 'US' });
    const placed = await post('/internalapi/v1/checkout/order', { cartId: checkoutId, customerMessage: values.orderComment ?? '' });
    if (!placed.data?.order?.orderId) throw new Error('The order could not be placed.');
    window.location.assign('/checkout/order-confirmation');
  } catch (error) {
    alert.textContent = (error as Error).message;
    button.disabled = false;
  }
}

async function renderOrderConfirmation({ containerId, orderId }: { containerId: string; orderId: number }): Promise<void> {
  const container = document.getElementById(containerId)!;
  const order = await getJson(`/api/storefront/orders/${orderId}?include=lineItems.physicalItems.options`);
  const main = element(
    'div',
    { class: 'orderConfirmation' },
    element(
      'h1',
      { class: 'optimizedCheckout-headingPrimary', 'data-test': 'order-confirmation-heading' },
      `Thank you ${order.billingAddress?.firstName ?? ''}!`.replace(' !', '!'),
    ),
    element(
      'section',
      { class: 'orderConfirmation-section' },
      element('p', { 'data-test': 'order-confirmation-order-number-text' }, 'Your order number is ', element('strong', {}, String(order.orderId))),
    ),
    element(
      'div',
      { class: 'continueButtonContainer' },
      element('a', { class: 'button button--tertiary optimizedCheckout-buttonSecondary', href: '/' }, 'Continue Shopping »'),
    ),
  );
  container.replaceChildren(layout(main, orderSummary(order.lineItems.physicalItems as Item[], order.orderAmount as number)));
}

window.checkoutApp = { renderCheckout, renderOrderConfirmation };

/**
 * A store's public storefront, read as a shopper's browser reads it: plain HTML over the store's own URL
 * (`secure_url`), no token. The theme check and theme detection use it to see the markup the theme renders:
 * a product page, and the cart page with one item in it (added with BigCommerce's add-to-cart link,
 * `/cart.php?action=add&product_id=…`, whose session cookie the next requests carry, as a browser would).
 */

/** One page as fetched. */
export interface StorefrontPage {
  url: string;
  status: number;
  html: string;
}

/** The pages a theme check reads. */
export interface StorefrontPages {
  product: StorefrontPage;
  /** Null when no product could be put in a cart (none given). */
  cart: StorefrontPage | null;
}

const TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 5;
/** A theme's page is a few hundred kilobytes; more is not a page worth parsing. */
const MAX_BYTES = 5_000_000;

/** The body's first `limit` bytes as text: the rest is never read, however much the server sends. */
async function textUpTo(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  while (length < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  await reader.cancel();
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}

/** A shopper's visit: cookies kept from answer to answer, redirects followed within the store's origin. */
function visit(base: URL) {
  const cookies = new Map<string, string>();
  const get = async (path: string): Promise<StorefrontPage> => {
    let url = new URL(path, base);
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (url.origin !== base.origin) throw new Error(`The storefront sent the check to another site (${url.origin}).`);
      const response = await fetch(url, {
        redirect: 'manual',
        headers: { Accept: 'text/html', 'User-Agent': 'BackOrder theme check', Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(';');
        const at = pair!.indexOf('=');
        if (at > 0) cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
      }
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, url);
        continue;
      }
      return { url: url.href, status: response.status, html: await textUpTo(response, MAX_BYTES) };
    }
    throw new Error(`The storefront redirected more than ${MAX_REDIRECTS} times from ${path}.`);
  };
  return { get };
}

/**
 * Reads a product page (`productPath`, the product's custom URL) and the cart page holding one unit of
 * `cartProductId` (a product without options, which the add-to-cart link can add).
 */
export async function readStorefrontPages(storefrontUrl: string, productPath: string, cartProductId: number | null): Promise<StorefrontPages> {
  const base = new URL(storefrontUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error(`The storefront address ${storefrontUrl} is not a web address.`);
  const shopper = visit(base);
  const product = await shopper.get(productPath);
  if (cartProductId === null) return { product, cart: null };
  await shopper.get(`/cart.php?action=add&product_id=${cartProductId}`);
  return { product, cart: await shopper.get('/cart.php') };
}

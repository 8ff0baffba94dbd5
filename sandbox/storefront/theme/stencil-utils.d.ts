/** The part of @bigcommerce/stencil-utils (which ships no types) the demo theme calls (stencil §4.2). */
declare module '@bigcommerce/stencil-utils' {
  type Callback<T = any> = (err: Error | null, response: T) => void;
  interface RequestOptions {
    template?: string | string[] | Record<string, string>;
    params?: Record<string, unknown>;
    config?: Record<string, unknown>;
    baseUrl?: string;
  }
  const utils: {
    api: {
      product: { getById(productId: number, params: RequestOptions, callback: Callback<string>): void };
      productAttributes: {
        optionChange(productId: number, params: string, template: string | null, callback: Callback, requestOptions?: RequestOptions): void;
      };
      cart: {
        itemAdd(formData: FormData, callback: Callback, requestOptions?: RequestOptions): void;
        itemUpdate(itemId: string, quantity: number, callback: Callback): void;
        itemRemove(itemId: string, callback: Callback): void;
        getContent(options: RequestOptions, callback: Callback): void;
      };
    };
    hooks: { on(name: string, callback: (...args: any[]) => void): void };
  };
  export default utils;
}

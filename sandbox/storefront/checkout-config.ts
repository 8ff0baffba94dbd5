/**
 * What checkout-sdk loads besides the checkout (checkout-sdk `ConfigRequestSender`, `FormFieldsRequestSender`):
 * `GET /api/storefront/checkout-settings` (`Config`: context, customization, storeConfig) and
 * `GET /api/storefront/form-fields`. Shapes from checkout-sdk's type declarations; values are the sandbox
 * store's (USD, en, guest checkout, no payment providers, native backorder messages off).
 */
import type { StoreContext } from '../store-context.ts';
import { CURRENCY } from './money.ts';

export function checkoutSettings(store: StoreContext, origin: string, checkoutId: string | undefined): Record<string, unknown> {
  const currency = {
    code: CURRENCY.code,
    decimalPlaces: String(CURRENCY.decimalPlaces),
    decimalSeparator: '.',
    isTransactional: true,
    symbolLocation: 'left',
    symbol: CURRENCY.symbol,
    thousandsSeparator: ',',
  };
  return {
    context: { checkoutId, geoCountryCode: 'US', flashMessages: [], payment: {} },
    customization: { languageData: [] },
    storeConfig: {
      cdnPath: origin,
      checkoutSettings: {
        features: {},
        checkoutBillingSameAsShippingEnabled: true,
        checkoutUserExperienceSettings: { walletButtonsOnTop: false, floatingLabelEnabled: false },
        enableOrderComments: true,
        enableTermsAndConditions: false,
        googleMapsApiKey: '',
        googleRecaptchaSitekey: '',
        isAccountCreationEnabled: false,
        isStorefrontSpamProtectionEnabled: false,
        guestCheckoutEnabled: true,
        hasMultiShippingEnabled: false,
        isAnalyticsEnabled: false,
        isCardVaultingEnabled: false,
        isCouponCodeCollapsed: true,
        isExpressPrivacyPolicy: false,
        isSignInEmailEnabled: false,
        isPaymentRequestEnabled: false,
        isPaymentRequestCanMakePaymentEnabled: false,
        isSpamProtectionEnabled: false,
        isTrustedShippingAddressEnabled: false,
        orderTermsAndConditions: '',
        orderTermsAndConditionsLocation: '',
        orderTermsAndConditionsLink: '',
        orderTermsAndConditionsType: '',
        privacyPolicyUrl: '',
        providerWithCustomCheckout: null,
        shippingQuoteFailedMessage: "Unfortunately one or more items in your cart can't be shipped to your location.",
        realtimeShippingProviders: [],
        requiresMarketingConsent: false,
        remoteCheckoutProviders: [],
        shouldRedirectToStorefrontForAuth: false,
      },
      currency,
      displayDateFormat: 'dd/MM/yyyy',
      inputDateFormat: 'dd/MM/yyyy',
      displaySettings: { hidePriceFromGuests: false },
      links: {
        baseUrl: origin,
        cartLink: `${origin}/cart.php`,
        checkoutLink: `${origin}/checkout`,
        createAccountLink: `${origin}/login.php?action=create_account`,
        forgotPasswordLink: `${origin}/login.php?action=reset_password`,
        loginLink: `${origin}/login.php`,
        logoutLink: `${origin}/login.php?action=logout`,
        siteLink: origin,
        orderConfirmationLink: `${origin}/checkout/order-confirmation`,
      },
      paymentSettings: { bigpayBaseUrl: '', clientSidePaymentProviders: [] },
      shopperConfig: {
        defaultNewsletterSignup: false,
        passwordRequirements: {
          alpha: '[A-Za-z]',
          numeric: '[0-9]',
          minlength: 7,
          error: 'Passwords must be at least 7 characters and contain both alphabetic and numeric characters.',
        },
        showNewsletterSignup: false,
      },
      storeProfile: {
        orderEmail: store.state.owner.email,
        shopPath: origin,
        storeCountry: 'United States',
        storeCountryCode: 'US',
        storeHash: store.state.hash,
        storeId: store.state.id,
        storeName: store.state.name,
        storePhoneNumber: '',
        storeLanguage: 'en_US',
      },
      imageDirectory: 'product_images',
      isAngularDebuggingEnabled: false,
      shopperCurrency: { ...currency, exchangeRate: 1 },
      inventorySettings: {
        showQuantityOnBackorder: false,
        showBackorderMessage: false,
        showQuantityOnHand: false,
        showDefaultShippingExpectationPrompt: false,
        showBackorderAvailabilityPrompt: false,
        backorderAvailabilityPrompt: null,
        defaultShippingExpectationPrompt: null,
        shouldDisplayBackorderMessagesOnStorefront: false,
      },
    },
  };
}

function field(id: number, name: string, label: string, required: boolean, extra: Record<string, unknown> = {}) {
  return { id: `field_${id}`, name, custom: false, label, required, default: '', fieldType: 'text', type: 'string', ...extra };
}

const ADDRESS = [
  field(4, 'firstName', 'First Name', true),
  field(5, 'lastName', 'Last Name', true),
  field(6, 'company', 'Company Name', false),
  field(7, 'phone', 'Phone Number', false),
  field(8, 'address1', 'Address Line 1', true),
  field(9, 'address2', 'Address Line 2', false),
  field(10, 'city', 'Suburb/City', true),
  field(11, 'countryCode', 'Country', true, { fieldType: 'dropdown', options: { items: [{ value: 'US', label: 'United States' }] } }),
  field(12, 'stateOrProvince', 'State/Province', true),
  field(13, 'postalCode', 'Zip/Postcode', true),
];

/** `GET /api/storefront/form-fields` (checkout-sdk `FormFields`). */
export function formFields(): Record<string, unknown> {
  return {
    customerAccount: [
      field(1, 'email', 'Email Address', true, { type: 'string', fieldType: 'text' }),
      field(2, 'password', 'Password', true, { fieldType: 'password' }),
      ...ADDRESS.slice(0, 2),
    ],
    shippingAddress: ADDRESS,
    billingAddress: ADDRESS,
  };
}

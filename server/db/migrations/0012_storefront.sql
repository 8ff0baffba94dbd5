-- What the storefront API needs besides stock: whether the store shows stock levels on its storefront
-- (BigCommerce's inventory setting; exact numbers are sent only then or when the merchant's texts use
-- them), and each variant's option values, by which the components find the variant a shopper picked.
alter table stores
  add column stock_level_display text not null default 'dont_show'
    check (stock_level_display in ('dont_show', 'show', 'show_when_low'));

-- [[option_id, option_value_id], ...] as in the catalog's variant option_values.
alter table catalog_variants add column option_pairs jsonb not null default '[]'::jsonb;

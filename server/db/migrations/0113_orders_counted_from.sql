-- From when the app counts a product's orders: `assigned_at`. An order placed before holds nothing, since
-- BigCommerce's level, which the items' stock was read from, counted it. While a product BigCommerce tracks is
-- being assigned, that level goes on counting every order until tracking goes off: `assigned_at` is null
-- until the assign job turns tracking off (it is set just before) or marks the product active, so that an
-- order converged meanwhile holds nothing and the level read counts it once.
alter table assignments alter column assigned_at drop not null;

-- When the merchant gave an item's stock (assign form or file): that count is the stock as the product was
-- assigned, so its orders are the app's from then on, whatever BigCommerce's level does meanwhile (the assign
-- job records that level only once tracking is off). Null for an item whose stock was read from the level.
alter table inventory_items add column stock_given_at timestamptz;

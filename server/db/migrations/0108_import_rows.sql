-- An import's file is read in slices (substring of the column): stored uncompressed out of line, a slice
-- reads only its own pages instead of decompressing the whole file each time. (Applies to files stored from now.)
alter table imports alter column content set storage external;

-- The rows of an import being run, as read and matched to their product (and, to update, their item),
-- batch by batch: duplicates and unassigned items are found here in SQL, and the import is applied from
-- here in batches, so a run never holds the whole file's rows. Emptied when the run ends; unlogged: a
-- crash loses only rows the run reads again.
create unlogged table import_rows (
  store_hash text not null,
  import_id bigint not null,
  -- The line the row starts on in the file (the header is line 1).
  line integer not null,
  product_id integer not null,
  -- The variant the row names; null: the product.
  variant_id integer,
  -- To update: the assigned item the row names, once matched.
  item_id bigint,
  -- The row's values by field (currentStock, backorderThreshold: null for unlimited, incomingStock,
  -- backInStockDate: null for no date), only those the file gives (and, to update, the chosen columns).
  item_values jsonb not null,
  primary key (import_id, line),
  foreign key (store_hash, import_id) references imports (store_hash, id) on delete cascade
);
create index import_rows_by_target on import_rows (import_id, product_id, variant_id, line);
create index import_rows_by_item on import_rows (import_id, item_id);

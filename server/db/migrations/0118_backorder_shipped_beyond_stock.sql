-- Units of each backorder line shipped beyond the units it took from stock, as they stood when the line last took
-- more from stock (an edit raising its quantity while stock had units). The units a line took from stock ship
-- first (migration 0117), so its allocated units shipped are its units shipped beyond them; units taken from stock
-- after some of those shipped would otherwise count as the ones shipped, and an allocated unit that left with the
-- shopper would count as still in the warehouse — to wait again on a correction, or go to another order. Lines
-- written before count none (as before).
alter table backorder_lines add column shipped_beyond_stock_qty integer not null default 0 check (shipped_beyond_stock_qty >= 0);

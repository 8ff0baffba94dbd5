-- The version of the order snapshot that last wrote each order line: BigCommerce's `date_modified` (to the
-- second) and when the app's read of the order began (the app's clock). A snapshot older than the newest one
-- recorded on the order's lines moves nothing (several worker processes and reconcile converge one order).
-- Null for lines written before: no snapshot is refused on their account.
alter table order_lines add column snapshot_modified_at timestamptz, add column snapshot_read_at timestamptz;

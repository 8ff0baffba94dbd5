-- How far a reconcile run got through the orders it re-reads (oldest change first): the last change
-- (`date_modified`) of the last order it converged. A run stopped part-way (the store's API budget spent)
-- leaves its successor to go on from there rather than start again from the last run that finished.
alter table reconcile_runs add column orders_through timestamptz;

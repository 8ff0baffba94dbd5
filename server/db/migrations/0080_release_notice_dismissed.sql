-- The "Unassigned by BackOrder" notice on Assigned Products can be dismissed, product by product: the
-- release stays in the history, only its notice goes.
alter table assignments add column release_notice_dismissed_at timestamptz;

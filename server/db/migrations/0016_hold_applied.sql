-- A hold is recorded before BigCommerce is told to stop selling, and marked applied once it has been: a
-- worker that dies between the two leaves a pending hold, which the next check applies, instead of a
-- variant disabled in BigCommerce that the app does not know it disabled (and would never enable again).
alter table purchasing_holds add column applied_at timestamptz;
update purchasing_holds set applied_at = created_at;

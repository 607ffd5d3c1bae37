-- An on-call page is taken for sending until claimed_until and sent outside any transaction, so a
-- slow mail server or SMS gateway no longer holds the page's row while a reader claims the case.
alter table on_call_page add column claimed_until timestamp with time zone;

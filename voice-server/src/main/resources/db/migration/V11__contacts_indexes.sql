-- Secondary indexes of contacts that no query uses cost every imported row an index insert (ix_contacts_phone a
-- random one). Queries on contacts go by id, by (list_id, phone) (uq_contacts_list_phone, which also serves the
-- foreign key and the dialer's GROUP BY phone of a list) or by list in id order (the contacts page, ORDER BY id):
-- ix_contacts_list (list_id) serves that one: InnoDB ends a secondary index with the primary key, so it is in
-- (list_id, id) order.
-- Nothing filters contacts by state or looks a phone up across lists.
DROP INDEX ix_contacts_phone ON contacts;
DROP INDEX ix_contacts_list_state ON contacts;
CREATE INDEX ix_contacts_list ON contacts (list_id);

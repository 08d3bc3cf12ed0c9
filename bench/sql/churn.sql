-- One day of churn on the database generate.sql made (bench/run runs this between the two dumps):
-- about 1 % of customers updated (moved, new phone or e-mail, card renewed); 0.1 % closing their
-- account, which erases their card and contact details but keeps the row, because their orders
-- and call logs are business records with a retention period (Japanese tax law: 7 years for
-- transaction records); a handful (0.002 %, ~10 a day at full scale) erased on request together
-- with their call logs and orders; call logs past a 5-year retention purged (the oldest day, at
-- the head of the table); 0.1 % new customers; a day's call logs (0.5 % of the table) and orders
-- (0.3 %) appended; 1 % of recent orders moving on in their status. Updated rows land wherever
-- PostgreSQL puts new tuple versions, and erased customers' rows vanish from the whole history,
-- so the dump changes in scattered places, as in production.
--
-- Until 2026-11-21 this deleted 0.1 % of customers a day *with* their history (36 % of five years
-- of records gone in a year): every 1 MiB stretch of call_logs and orders changed each day, so the
-- next-day backup stored the whole dump again for every tool and measured nothing but a second
-- first backup. Results before that date used the old churn.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
SET max_parallel_workers_per_gather = 0;

SELECT setseed(0.2) \gset
SELECT max(id) AS max_customer FROM customers \gset
SELECT max(id) AS max_call FROM call_logs \gset
SELECT max(id) AS max_order FROM orders \gset
SELECT count(*) AS n_customers FROM customers \gset

UPDATE customers c SET
    postal_code = CASE WHEN u.r < 0.4 THEN n.postal_code ELSE c.postal_code END,
    prefecture  = CASE WHEN u.r < 0.4 THEN n.prefecture ELSE c.prefecture END,
    city        = CASE WHEN u.r < 0.4 THEN n.city ELSE c.city END,
    address_line = CASE WHEN u.r < 0.4 THEN n.address_line ELSE c.address_line END,
    building    = CASE WHEN u.r < 0.4 THEN n.building ELSE c.building END,
    phone       = CASE WHEN u.r >= 0.4 AND u.r < 0.6 THEN n.phone ELSE c.phone END,
    email       = CASE WHEN u.r >= 0.6 AND u.r < 0.8 THEN n.email ELSE c.email END,
    card_token  = CASE WHEN u.r >= 0.8 THEN n.card_token ELSE c.card_token END,
    card_last4  = CASE WHEN u.r >= 0.8 THEN n.card_last4 ELSE c.card_last4 END,
    status      = CASE WHEN u.r >= 0.95 THEN 'dormant' ELSE c.status END,
    updated_at  = timestamptz '2024-06-01 09:00+09' + make_interval(secs => floor(u.r * 30000))
FROM (SELECT id, random() AS r FROM customers WHERE random() < 0.01) AS u
JOIN gen.customers(1, :max_customer, timestamptz '2024-06-01 00:00+09') AS n ON n.id = u.id
WHERE c.id = u.id;

UPDATE customers SET status = 'closed', card_token = '', card_last4 = '0000', card_brand = '',
    email = '', phone = '', building = NULL, updated_at = timestamptz '2024-06-01 18:00+09'
WHERE id IN (SELECT id FROM customers WHERE random() < 0.001);

DELETE FROM customers WHERE id IN (SELECT id FROM customers WHERE random() < 0.00002);

DELETE FROM call_logs WHERE called_at < timestamptz '2019-06-02 00:00+09';

INSERT INTO customers SELECT * FROM gen.customers(:max_customer + 1, greatest(1, :n_customers / 1000), timestamptz '2024-06-02 00:00+09');
SELECT max(id) AS max_customer FROM customers \gset

INSERT INTO call_logs
SELECT l.* FROM gen.call_logs(:max_call + 1, greatest(1, 4 * :n_customers / 200), :max_customer,
                              timestamptz '2024-06-01 00:00+09', interval '1 day') AS l
WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = l.customer_id);

INSERT INTO orders
SELECT o.* FROM gen.orders(:max_order + 1, greatest(1, 5 * :n_customers * 3 / 1000), :max_customer,
                           timestamptz '2024-06-01 00:00+09', interval '1 day') AS o
WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id);

UPDATE orders SET status = CASE status WHEN 'shipped' THEN 'delivered' ELSE 'shipped' END
WHERE id > :max_order - 20 * greatest(1, 5 * :n_customers * 3 / 1000) AND status IN ('shipped', 'delivered') AND random() < 0.05;

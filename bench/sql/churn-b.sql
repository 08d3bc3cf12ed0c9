-- One day of churn on dataset b (generate-b.sql; bench/run --dataset b runs this between the two
-- dumps): 1 % of accounts updated (balance, overdue amount, last order/payment/login, sometimes the
-- credit limit or the active flag); 0.02 % of documents moving on in their status; 0.1 % new
-- accounts; a day's documents (0.1 % of the table: it holds three years) and a day's events (1.1 %:
-- it holds 90 days, its new rows in md5 order like the old) appended. Updated rows land wherever
-- PostgreSQL puts new tuple versions (with autovacuum off: at the table's end), so the dump changes
-- in scattered places and grows at the end of each table, as in production.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
SET max_parallel_workers_per_gather = 0;

SELECT setseed(0.4) \gset
SELECT max(id) AS max_account FROM accounts \gset
SELECT max(id) AS max_document FROM documents \gset
SELECT max(id) AS max_event FROM events \gset

UPDATE accounts a SET
    balance = round((a.balance * (0.5 + u.r))::numeric, 2),
    overdue = CASE WHEN u.r < 0.15 THEN round((u.r * 30000)::numeric, 2) ELSE 0 END,
    credit_limit = CASE WHEN u.r > 0.97 THEN a.credit_limit * 2 ELSE a.credit_limit END,
    is_active = CASE WHEN u.r > 0.995 THEN NOT a.is_active ELSE a.is_active END,
    last_order_at = timestamptz '2024-06-01 08:00+00' + make_interval(secs => floor(u.r * 36000)),
    last_payment_at = CASE WHEN u.r < 0.5 THEN timestamptz '2024-06-01 09:00+00' + make_interval(secs => floor(u.r * 30000)) ELSE a.last_payment_at END,
    last_login_at = timestamptz '2024-06-01 07:00+00' + make_interval(secs => floor(u.r * 40000)),
    updated_at = timestamptz '2024-06-01 18:00+00' + make_interval(secs => floor(u.r * 3600))
FROM (SELECT id, random() AS r FROM accounts WHERE random() < 0.01) AS u
WHERE a.id = u.id;

UPDATE documents SET status = CASE status WHEN 'submitted' THEN 'approved' WHEN 'approved' THEN 'shipped'
                                          WHEN 'shipped' THEN 'delivered' WHEN 'delivered' THEN 'closed' ELSE status END
WHERE id IN (SELECT id FROM documents WHERE random() < 0.0002);

INSERT INTO accounts SELECT * FROM gen.accounts(:max_account + 1, greatest(1, :max_account / 1000), timestamptz '2024-06-02 00:00+00');
SELECT max(id) AS max_account FROM accounts \gset

INSERT INTO documents SELECT * FROM gen.documents(:max_document + 1, greatest(1, :max_document / 1000), :max_account,
                                                   timestamptz '2024-06-01 00:00+00', interval '1 day');
INSERT INTO events SELECT * FROM gen.events(:max_event + 1, greatest(1, :max_event / 90), :max_account,
                                             timestamptz '2024-06-01 00:00+00', interval '1 day')
    ORDER BY md5(id::text);

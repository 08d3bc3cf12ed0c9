-- Day 1 of the benchmark's second synthetic customer database, dataset b (bench/run --dataset b runs
-- this with psql). Unlike generate.sql's narrow Japanese rows, this is a B2B order-management
-- database: wide account rows (numeric balances and limits, many timestamps, a bytea key digest);
-- documents holding JSONB orders with repeated keys and long English free text drawn from a
-- vocabulary (a Zipf-like draw, so a few words are common); and an events table inserted in the order
-- of a hash of its id, so that rows of the same kind, account and time lie far apart in the dump.
-- psql variables: :accounts. Documents are 4 per account and events 10 per account. Everything is
-- drawn from random() after setseed(), with parallel query and autovacuum off, so the same scale
-- gives byte-identical dumps on every machine.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
SET max_parallel_workers_per_gather = 0;
SET maintenance_work_mem = '256MB';

DROP SCHEMA IF EXISTS gen CASCADE;
DROP TABLE IF EXISTS events, documents, accounts CASCADE;
CREATE SCHEMA gen;  -- generator helpers; pg_dump leaves it out (-N gen)

CREATE FUNCTION gen.words() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{the,of,and,to,a,in,for,is,on,that,by,this,with,customer,order,was,be,as,are,at,from,it,an,or,shipment,delivery,invoice,not,we,has,have,please,account,payment,will,been,which,item,items,requested,confirmed,warehouse,pallet,carrier,tracking,damaged,replacement,credit,note,issued,refund,pending,approval,contract,renewal,quarter,discount,volume,tier,pricing,agreed,supplier,purchase,reference,number,due,date,overdue,reminder,sent,received,signed,copy,attached,see,below,above,per,our,your,their,team,manager,regional,north,south,east,west,central,district,branch,office,site,visit,scheduled,rescheduled,cancelled,postponed,meeting,call,email,follow,up,escalated,resolved,open,closed,ticket,issue,question,answer,billing,address,changed,updated,contact,person,phone,missing,incorrect,quantity,unit,price,total,tax,vat,exempt,certificate,expired,valid,until,terms,net,thirty,sixty,days,early,late,fee,waived,applied,balance,outstanding,statement,monthly,annual,review,audit,compliance,risk,limit,increased,decreased,temporary,permanent,hold,released,blocked,fraud,check,passed,failed,manual,automatic,batch,import,export,customs,clearance,documents,port,container,freight,forwarder,incoterms,fob,cif,ddp,backorder,partial,split,consolidated,return,authorization,rma,inspection,quality,defect,batch,lot,serial,warranty,claim,approved,rejected,appeal,legal,department,notified,forecast,demand,seasonal,peak,promotion,campaign,catalogue,sample,trial,onboarding,training,integration,api,portal,login,reset,password,user,role,permissions,report,dashboard,export,csv,monday,tuesday,wednesday,thursday,friday,morning,afternoon,urgent,priority,standard,express,overnight,ground,air,sea,rail}'::text[] $$;
CREATE FUNCTION gen.countries() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{US,US,US,US,DE,DE,GB,GB,FR,NL,BE,IT,ES,SE,PL,CZ,AT,CH,CA,MX,BR,JP,KR,SG,AU,IN}'::text[] $$;
CREATE FUNCTION gen.currencies() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{USD,USD,USD,USD,EUR,EUR,GBP,GBP,EUR,EUR,EUR,EUR,EUR,SEK,PLN,CZK,EUR,CHF,CAD,MXN,BRL,JPY,KRW,SGD,AUD,INR}'::text[] $$;
CREATE FUNCTION gen.industries() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{retail,wholesale,manufacturing,logistics,healthcare,hospitality,construction,education,agriculture,automotive,energy,telecom}'::text[] $$;
CREATE FUNCTION gen.company_words() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{Acme,Global,United,Northern,Pacific,Atlantic,Summit,Pioneer,Harbor,Vertex,Cedar,Granite,Silver,Bright,Prime,Allied,Metro,Coastal,Midland,Sterling,Apex,Liberty,Evergreen,Frontier}'::text[] $$;
CREATE FUNCTION gen.company_kinds() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{Supplies,Logistics,Industries,Foods,Systems,Trading,Holdings,Distribution,Partners,Manufacturing,Services,Group}'::text[] $$;
CREATE FUNCTION gen.products() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{"Steel bracket 40mm","Hydraulic hose 1/2in","Nitrile gloves L (box of 100)","Copy paper A4 80gsm","LED panel 600x600","Safety boots size 43","Pallet wrap 500mm","Cable ties 300mm","Industrial degreaser 5L","Bearing 6204-2RS","Label printer ribbon","Corrugated box 40x30x30","Hand sanitiser 500ml","Extension lead 10m","Forklift battery service","Ear defenders","Coffee beans 1kg","Toner cartridge black","Stainless bolt M8x40","Work bench 1500mm"}'::text[] $$;
CREATE FUNCTION gen.event_kinds() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{login,login,login,page_view,page_view,page_view,page_view,search,cart_add,cart_remove,checkout,payment_authorized,payment_captured,shipment_created,shipment_delivered,password_reset,api_call,api_call,export,invoice_viewed}'::text[] $$;

-- Text of n words drawn from the vocabulary, common words far more often than rare ones.
CREATE FUNCTION gen.prose(n int) RETURNS text VOLATILE LANGUAGE sql AS $$
    SELECT string_agg((gen.words())[1 + floor(power(random(), 2.5) * 262)::int], ' ') FROM generate_series(1, n)
$$;

CREATE FUNCTION gen.accounts(first_id bigint, n bigint, base timestamptz)
RETURNS TABLE (id bigint, code text, name text, legal_name text, industry text, country char(2), currency char(3),
               vat_number text, credit_limit numeric(14,2), balance numeric(14,2), overdue numeric(14,2),
               discount_pct numeric(5,2), payment_terms_days int, risk_score real, employees int, annual_revenue numeric(16,2),
               is_active boolean, is_key_account boolean, tax_exempt boolean,
               created_at timestamptz, updated_at timestamptz, last_order_at timestamptz, last_payment_at timestamptz,
               last_login_at timestamptz, contract_ends date, api_key_digest bytea, owner_email text, billing_address text)
VOLATILE LANGUAGE sql AS $$
    SELECT s.i, 'ACC-' || lpad(s.i::text, 8, '0'),
           (gen.company_words())[s.w1] || ' ' || (gen.company_kinds())[s.w2],
           (gen.company_words())[s.w1] || ' ' || (gen.company_kinds())[s.w2] || CASE WHEN s.r1 < 0.5 THEN ' Ltd' WHEN s.r1 < 0.8 THEN ' Inc.' ELSE ' GmbH' END,
           (gen.industries())[1 + floor(s.r2 * 12)::int], (gen.countries())[s.c], (gen.currencies())[s.c],
           (gen.countries())[s.c] || lpad(floor(s.r3 * 1e9)::bigint::text, 9, '0'),
           round((1000 * power(10, s.r4 * 3))::numeric, -2),
           round((s.r5 * 1000 * power(10, s.r4 * 3))::numeric, 2),
           CASE WHEN s.r6 < 0.8 THEN 0 ELSE round((s.r6 * 5000)::numeric, 2) END,
           (array[0, 0, 0, 2.5, 5, 7.5, 10, 12.5])[1 + floor(s.r7 * 8)::int],
           (array[14, 30, 30, 30, 45, 60, 90])[1 + floor(s.r8 * 7)::int],
           round(s.r9::numeric, 4)::real,
           floor(power(10, 1 + s.r10 * 4))::int,
           round((power(10, 5 + s.r10 * 4) * (0.5 + s.r11))::numeric, 2),
           s.r12 < 0.92, s.r12 < 0.05, s.r13 < 0.03,
           base - make_interval(secs => (n - (s.i - first_id)) * 3000 + floor(s.r11 * 3000)),
           base - make_interval(secs => floor(s.r13 * 86400 * 200)),
           base - make_interval(secs => floor(s.r5 * 86400 * 90)),
           base - make_interval(secs => floor(s.r6 * 86400 * 60)),
           base - make_interval(secs => floor(s.r9 * 86400 * 30)),
           (base + make_interval(days => floor(s.r8 * 1000)::int))::date,
           sha256(int8send(s.i) || float8send(s.r3)),
           lower((gen.company_words())[s.w1]) || '.' || s.i || '@' || lower((gen.company_kinds())[s.w2]) || '.example',
           (1 + floor(s.r7 * 999))::int || ' ' || (gen.company_words())[1 + floor(s.r9 * 24)::int] || ' Street, '
               || lpad(floor(s.r10 * 100000)::int::text, 5, '0') || ' ' || (gen.company_words())[1 + floor(s.r2 * 24)::int] || 'ville'
    FROM (SELECT i, 1 + floor(random() * 24)::int AS w1, 1 + floor(random() * 12)::int AS w2, 1 + floor(random() * 26)::int AS c,
                 random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7,
                 random() AS r8, random() AS r9, random() AS r10, random() AS r11, random() AS r12, random() AS r13
          FROM generate_series(first_id, first_id + n - 1) AS i) AS s
$$;

-- Documents: a JSONB order (header, 1-6 lines, shipping block, tags) and a note of 40-200 words.
CREATE FUNCTION gen.documents(first_id bigint, n bigint, max_account bigint, since timestamptz, span interval)
RETURNS TABLE (id bigint, account_id bigint, kind text, status text, created_at timestamptz, amount numeric(14,2),
               body jsonb, note text, checksum bytea)
VOLATILE LANGUAGE sql AS $$
    SELECT d.i, d.a, d.kind, d.status, d.at, d.amount, d.body, d.note,
           decode(md5(d.body::text), 'hex')
    FROM (SELECT s.i, s.a, s.at,
                 (array['order','order','order','quote','invoice','credit_note'])[1 + floor(s.r1 * 6)::int] AS kind,
                 (array['draft','submitted','approved','shipped','delivered','delivered','delivered','closed'])[1 + floor(s.r2 * 8)::int] AS status,
                 round((s.r3 * s.r3 * 20000)::numeric, 2) AS amount,
                 jsonb_build_object(
                     'version', 3, 'source', (array['portal','edi','email','phone','api'])[1 + floor(s.r4 * 5)::int],
                     'currency', (gen.currencies())[1 + floor(s.r5 * 26)::int],
                     'customer_reference', 'PO-' || (100000 + floor(s.r6 * 900000))::int,
                     'lines', (SELECT jsonb_agg(jsonb_build_object(
                                   'line', l, 'sku', 'SKU-' || lpad(k::text, 5, '0'), 'description', (gen.products())[1 + k % 20],
                                   'quantity', q, 'unit_price', round((5 + k % 97 * 3.25)::numeric, 2),
                                   'discount', CASE WHEN q > 20 THEN 0.05 ELSE 0 END, 'tax_code', 'STD'))
                               FROM (SELECT l, floor(random() * 2000)::int AS k, 1 + floor(power(random(), 3) * 100)::int AS q
                                     FROM generate_series(1, 1 + (s.i % 6)::int) AS l) AS li),
                     'shipping', jsonb_build_object('method', (array['ground','express','overnight','freight','pickup'])[1 + floor(s.r7 * 5)::int],
                                                    'incoterms', (array['FOB','CIF','DDP','EXW'])[1 + floor(s.r8 * 4)::int],
                                                    'requested_date', to_char(s.at + make_interval(days => 3 + floor(s.r8 * 20)::int), 'YYYY-MM-DD'),
                                                    'address', jsonb_build_object('line1', (1 + floor(s.r9 * 999))::int || ' ' || (gen.company_words())[1 + floor(s.r6 * 24)::int] || ' Road',
                                                                                  'postcode', lpad(floor(s.r9 * 100000)::int::text, 5, '0'),
                                                                                  'country', (gen.countries())[1 + floor(s.r5 * 26)::int])),
                     'tags', to_jsonb(array_remove(array[CASE WHEN s.r1 < 0.2 THEN 'priority' END, CASE WHEN s.r2 < 0.1 THEN 'hazmat' END,
                                                        CASE WHEN s.r3 < 0.3 THEN 'repeat' END, CASE WHEN s.r4 < 0.15 THEN 'export' END], NULL)),
                     'approved_by', CASE WHEN s.r2 > 0.25 THEN 'user' || floor(s.r7 * 500)::int END) AS body,
                 gen.prose(40 + (s.i * 7919 % 161)::int) AS note
          FROM (SELECT i, 1 + floor(random() * max_account)::bigint AS a,
                       since + span * ((i - first_id)::float8 / n) AS at,
                       random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                       random() AS r6, random() AS r7, random() AS r8, random() AS r9
                FROM generate_series(first_id, first_id + n - 1) AS i) AS s) AS d
$$;

-- Events: a kind, a small JSONB payload, numbers, and a session digest. The caller inserts them in the
-- order of md5(id), so that neighbours in the dump share nothing but the table's shape.
CREATE FUNCTION gen.events(first_id bigint, n bigint, max_account bigint, since timestamptz, span interval)
RETURNS TABLE (id bigint, account_id bigint, occurred_at timestamptz, kind text, user_agent text, ip inet,
               latency_ms numeric(10,3), bytes_out bigint, payload jsonb, session bytea)
VOLATILE LANGUAGE sql AS $$
    SELECT s.i, s.a, since + span * ((s.i - first_id)::float8 / n),
           (gen.event_kinds())[1 + floor(s.r1 * 20)::int],
           (array['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
                  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
                  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
                  'erp-connector/4.2.1 (+https://erp.example/connector)', 'curl/8.5.0'])[1 + floor(s.r2 * 5)::int],
           ('10.' || floor(s.r3 * 256)::int || '.' || floor(s.r4 * 256)::int || '.' || floor(s.r5 * 256)::int)::inet,
           round((power(s.r6, 3) * 4000)::numeric, 3),
           floor(power(s.r7, 4) * 5e6)::bigint,
           jsonb_build_object('path', '/api/v2/' || (array['orders','accounts','documents','invoices','shipments'])[1 + floor(s.r8 * 5)::int]
                                       || '/' || floor(s.r9 * 1e6)::int,
                              'status', (array[200,200,200,200,201,204,304,400,403,404,500])[1 + floor(s.r3 * 11)::int],
                              'retry', s.r4 < 0.02, 'region', (array['eu-west','eu-central','us-east','us-west','ap-northeast'])[1 + floor(s.r5 * 5)::int]),
           substring(sha256(int8send(s.a) || int8send(s.i / 50)) FROM 1 FOR 16)
    FROM (SELECT i, 1 + floor(random() * max_account)::bigint AS a,
                 random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
                 random() AS r7, random() AS r8, random() AS r9
          FROM generate_series(first_id, first_id + n - 1) AS i) AS s
$$;

CREATE TABLE accounts (
    id bigint PRIMARY KEY, code text NOT NULL, name text NOT NULL, legal_name text NOT NULL, industry text NOT NULL,
    country char(2) NOT NULL, currency char(3) NOT NULL, vat_number text NOT NULL,
    credit_limit numeric(14,2) NOT NULL, balance numeric(14,2) NOT NULL, overdue numeric(14,2) NOT NULL,
    discount_pct numeric(5,2) NOT NULL, payment_terms_days int NOT NULL, risk_score real NOT NULL, employees int NOT NULL,
    annual_revenue numeric(16,2) NOT NULL, is_active boolean NOT NULL, is_key_account boolean NOT NULL, tax_exempt boolean NOT NULL,
    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, last_order_at timestamptz, last_payment_at timestamptz,
    last_login_at timestamptz, contract_ends date, api_key_digest bytea NOT NULL, owner_email text NOT NULL, billing_address text NOT NULL
);
CREATE TABLE documents (
    id bigint PRIMARY KEY, account_id bigint NOT NULL, kind text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL,
    amount numeric(14,2) NOT NULL, body jsonb NOT NULL, note text NOT NULL, checksum bytea NOT NULL
);
CREATE TABLE events (
    id bigint PRIMARY KEY, account_id bigint NOT NULL, occurred_at timestamptz NOT NULL, kind text NOT NULL, user_agent text NOT NULL,
    ip inet NOT NULL, latency_ms numeric(10,3) NOT NULL, bytes_out bigint NOT NULL, payload jsonb NOT NULL, session bytea NOT NULL
);

SELECT setseed(0.3) \gset
INSERT INTO accounts SELECT * FROM gen.accounts(1, :accounts, timestamptz '2024-06-01 00:00+00');
INSERT INTO documents SELECT * FROM gen.documents(1, 4 * :accounts, :accounts, timestamptz '2021-06-01 00:00+00', interval '3 years');
INSERT INTO events SELECT * FROM gen.events(1, 10 * :accounts, :accounts, timestamptz '2024-03-01 00:00+00', interval '90 days')
    ORDER BY md5(id::text);

CREATE INDEX documents_account ON documents (account_id);
CREATE INDEX events_account ON events (account_id);
CREATE INDEX events_occurred ON events (occurred_at);
VACUUM ANALYZE;

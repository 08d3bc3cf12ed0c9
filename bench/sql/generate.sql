-- Day 1 of the benchmark's synthetic customer database (bench/run runs this with psql).
-- psql variables: :customers (number of customers). Call logs are 4 per customer and orders 5 per
-- customer on average. Everything is drawn from random() after setseed(), with parallel query and
-- autovacuum off, so the same scale gives byte-identical dumps on every machine.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET synchronous_commit = off;
SET max_parallel_workers_per_gather = 0;
SET maintenance_work_mem = '256MB';

DROP SCHEMA IF EXISTS gen CASCADE;
DROP TABLE IF EXISTS orders, call_logs, customers CASCADE;
CREATE SCHEMA gen;  -- generator helpers; pg_dump leaves it out (-N gen)

-- Lookup arrays. A family name, its kana and its romaji share one index, and so do given names.
CREATE FUNCTION gen.family_kanji() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{佐藤,鈴木,高橋,田中,伊藤,渡辺,山本,中村,小林,加藤,吉田,山田,佐々木,山口,松本,井上,木村,林,斎藤,清水,山崎,森,池田,橋本,阿部,石川,山下,中島,石井,小川,前田,岡田,長谷川,藤田,後藤,近藤,村上,遠藤,青木,坂本}'::text[] $$;
CREATE FUNCTION gen.family_kana() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{サトウ,スズキ,タカハシ,タナカ,イトウ,ワタナベ,ヤマモト,ナカムラ,コバヤシ,カトウ,ヨシダ,ヤマダ,ササキ,ヤマグチ,マツモト,イノウエ,キムラ,ハヤシ,サイトウ,シミズ,ヤマザキ,モリ,イケダ,ハシモト,アベ,イシカワ,ヤマシタ,ナカジマ,イシイ,オガワ,マエダ,オカダ,ハセガワ,フジタ,ゴトウ,コンドウ,ムラカミ,エンドウ,アオキ,サカモト}'::text[] $$;
CREATE FUNCTION gen.family_roman() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{sato,suzuki,takahashi,tanaka,ito,watanabe,yamamoto,nakamura,kobayashi,kato,yoshida,yamada,sasaki,yamaguchi,matsumoto,inoue,kimura,hayashi,saito,shimizu,yamazaki,mori,ikeda,hashimoto,abe,ishikawa,yamashita,nakajima,ishii,ogawa,maeda,okada,hasegawa,fujita,goto,kondo,murakami,endo,aoki,sakamoto}'::text[] $$;
CREATE FUNCTION gen.given_kanji() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{翔,大翔,蓮,悠真,健太,拓也,大輔,直樹,誠,浩二,隆,和也,亮,修,博之,陽菜,結衣,さくら,美咲,葵,由美子,恵子,裕子,真由美,智子,直美,愛,彩,麻衣,千尋}'::text[] $$;
CREATE FUNCTION gen.given_kana() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{ショウ,ヒロト,レン,ユウマ,ケンタ,タクヤ,ダイスケ,ナオキ,マコト,コウジ,タカシ,カズヤ,リョウ,オサム,ヒロユキ,ヒナ,ユイ,サクラ,ミサキ,アオイ,ユミコ,ケイコ,ユウコ,マユミ,トモコ,ナオミ,アイ,アヤ,マイ,チヒロ}'::text[] $$;
CREATE FUNCTION gen.given_roman() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{sho,hiroto,ren,yuma,kenta,takuya,daisuke,naoki,makoto,koji,takashi,kazuya,ryo,osamu,hiroyuki,hina,yui,sakura,misaki,aoi,yumiko,keiko,yuko,mayumi,tomoko,naomi,ai,aya,mai,chihiro}'::text[] $$;
-- Prefecture, city and the first three digits of its postal codes, index-aligned.
CREATE FUNCTION gen.prefecture() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{東京都,東京都,東京都,東京都,東京都,神奈川県,神奈川県,神奈川県,神奈川県,大阪府,大阪府,大阪府,愛知県,愛知県,愛知県,北海道,北海道,福岡県,福岡県,埼玉県,埼玉県,千葉県,千葉県,兵庫県,兵庫県,京都府,宮城県,広島県}'::text[] $$;
CREATE FUNCTION gen.city() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{千代田区,新宿区,世田谷区,練馬区,八王子市,横浜市港北区,川崎市中原区,相模原市中央区,藤沢市,大阪市北区,堺市堺区,豊中市,名古屋市中区,豊田市,岡崎市,札幌市中央区,旭川市,福岡市博多区,北九州市小倉北区,さいたま市大宮区,川口市,千葉市中央区,船橋市,神戸市中央区,姫路市,京都市左京区,仙台市青葉区,広島市中区}'::text[] $$;
CREATE FUNCTION gen.postal() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{100,160,154,176,192,222,211,252,251,530,590,560,460,471,444,060,070,812,802,330,332,260,273,650,670,606,980,730}'::text[] $$;
CREATE FUNCTION gen.town() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{本町,中央,緑町,栄町,旭町,桜台,東町,西町,南町,北町,若葉,幸町,宮前,花園,松原,春日,青葉台,富士見,曙町,末広町}'::text[] $$;
CREATE FUNCTION gen.building() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{コーポ桜,ハイツ若葉,メゾン青葉,グランドール富士見,パークハウス緑ヶ丘,レジデンス本町,サンライズマンション,ライオンズマンション,シティハイツ,ヴィラ花園}'::text[] $$;
CREATE FUNCTION gen.mail_domain() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{gmail.com,yahoo.co.jp,docomo.ne.jp,ezweb.ne.jp,icloud.com,outlook.jp,softbank.ne.jp,nifty.com,biglobe.ne.jp,example.co.jp}'::text[] $$;
CREATE FUNCTION gen.card_brand() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{VISA,VISA,VISA,Mastercard,Mastercard,JCB,JCB,AMEX,Diners}'::text[] $$;
CREATE FUNCTION gen.agent() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{高木,大野,片山,松井,野村,菅原,武田,上田,杉山,千葉,村田,河野,藤井,小野,田村,中川}'::text[] $$;
CREATE FUNCTION gen.category() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{請求,配送,解約,登録内容変更,問い合わせ,苦情,返品,ポイント,定期便,支払い}'::text[] $$;
CREATE FUNCTION gen.phrase() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{請求金額について確認したいとのこと。,配送状況の確認。追跡番号を案内済み。,商品が破損していたため交換を手配。,解約希望。引き止めトーク実施、検討するとのこと。,ポイント残高の問い合わせ。,住所変更の依頼あり。本人確認済み。,クレジットカードの有効期限切れのため更新を依頼。,折り返し希望。午後3時以降。,前回の対応について不満あり。上長へエスカレーション。,新商品の案内を希望。カタログ送付予定。,支払い方法を口座振替に変更。,電話番号変更の連絡。,本人確認のため生年月日を確認。,返品受付。返送用伝票を送付。,ログインできないとの問い合わせ。パスワード再設定を案内。,定期便の配送日を変更。,キャンペーン適用漏れのため手動で割引を適用。,留守番電話にメッセージを残した。,特に問題なし。,お客様より感謝の言葉あり。,次回の請求から反映される旨を説明。,メールアドレスの登録ミスを修正。,領収書の再発行依頼。,家族カードの追加について説明。,到着予定日を再確認、夕方の時間指定に変更。,同じ商品の再注文。在庫ありを確認。,不在票が入っていたとのこと。再配達を手配。,引き落とし口座の残高不足。再請求日を案内。,会員ランクの条件について説明。,個人情報の取り扱いについて質問あり。プライバシーポリシーを案内。}'::text[] $$;
CREATE FUNCTION gen.product() RETURNS text[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{ミネラルウォーター 2L×6本,有機緑茶 ティーバッグ 50包,コーヒー豆 深煎り 500g,ハンドクリーム 無香料,今治タオル フェイスタオル3枚組,新潟県産コシヒカリ 5kg,洗濯洗剤 詰め替え用 1.5kg,ビタミンC サプリメント 90日分,ワイヤレスイヤホン,モバイルバッテリー 10000mAh,スチーム式加湿器,電気ケトル 1.0L,ボールペン 10本セット,ノート A5 5冊パック,シャンプー 詰め替え 400ml,除菌ウェットティッシュ 10個,北海道産 昆布 100g,静岡県産 深蒸し茶 100g,ふるさと米 玄米 10kg,プロテイン チョコ味 1kg}'::text[] $$;
CREATE FUNCTION gen.price() RETURNS int[] IMMUTABLE LANGUAGE sql AS $$ SELECT '{980,1280,1980,780,3300,2980,598,1580,8980,3480,12800,4980,550,660,880,1200,1450,1620,5480,4280}'::int[] $$;

-- One customer drawn from the arrays; used for day 1 and for day 2's new customers.
CREATE FUNCTION gen.customers(first_id bigint, n bigint, base timestamptz)
RETURNS TABLE (id bigint, family_name text, given_name text, family_kana text, given_kana text, gender char(1),
               birthdate date, email text, phone text, postal_code text, prefecture text, city text,
               address_line text, building text, card_token text, card_last4 char(4), card_brand text,
               status text, created_at timestamptz, updated_at timestamptz)
VOLATILE LANGUAGE sql AS $$
    SELECT s.i, (gen.family_kanji())[s.f], (gen.given_kanji())[s.g], (gen.family_kana())[s.f], (gen.given_kana())[s.g],
           CASE WHEN s.g <= 15 THEN 'M' ELSE 'F' END,
           date '1940-01-01' + (s.r1 * 23000)::int,
           (gen.given_roman())[s.g] || CASE WHEN s.r2 < 0.5 THEN '.' ELSE '_' END || (gen.family_roman())[s.f]
               || CASE WHEN s.r2 < 0.7 THEN (1 + floor(s.r3 * 9999))::int::text ELSE '' END
               || '@' || (gen.mail_domain())[1 + floor(s.r4 * 10)::int],
           CASE WHEN s.r5 < 0.7 THEN (array['090','080','070'])[1 + floor(s.r5 / 0.7 * 3)::int] || '-'
                                     || lpad(floor(s.r6 * 10000)::int::text, 4, '0') || '-' || lpad(floor(s.r7 * 10000)::int::text, 4, '0')
                ELSE (array['03','06','052','011','092'])[1 + floor((s.r5 - 0.7) / 0.3 * 5)::int] || '-'
                                     || lpad(floor(s.r6 * 10000)::int::text, 4, '0') || '-' || lpad(floor(s.r7 * 10000)::int::text, 4, '0') END,
           (gen.postal())[s.p] || '-' || lpad(floor(s.r8 * 10000)::int::text, 4, '0'),
           (gen.prefecture())[s.p], (gen.city())[s.p],
           (gen.town())[1 + floor(s.r9 * 20)::int] || (1 + floor(s.r1 * 7))::int || '丁目'
               || (1 + floor(s.r3 * 30))::int || '番' || (1 + floor(s.r6 * 20))::int || '号',
           CASE WHEN s.r10 < 0.4 THEN (gen.building())[1 + floor(s.r10 / 0.4 * 10)::int] || ' '
                                      || (1 + floor(s.r7 * 12))::int || '0' || (1 + floor(s.r8 * 9))::int || '号室' END,
           'tok_' || md5(s.i::text || ':' || s.r11::text),
           lpad(floor(s.r12 * 10000)::int::text, 4, '0'),
           (gen.card_brand())[1 + floor(s.r12 * 9)::int],
           CASE WHEN s.r13 < 0.9 THEN 'active' WHEN s.r13 < 0.97 THEN 'dormant' ELSE 'suspended' END,
           base - make_interval(secs => (n - (s.i - first_id)) * 600 + floor(s.r11 * 600)),
           base - make_interval(secs => floor(s.r13 * 86400 * 365))
    FROM (SELECT i, 1 + floor(random() * 40)::int AS f, 1 + floor(random() * 30)::int AS g, 1 + floor(random() * 28)::int AS p,
                 random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7,
                 random() AS r8, random() AS r9, random() AS r10, random() AS r11, random() AS r12, random() AS r13
          FROM generate_series(first_id, first_id + n - 1) AS i) AS s
$$;

-- Call logs: customer, time (ids increase with time), agent, and a free-text note of 2-6 phrases.
CREATE FUNCTION gen.call_logs(first_id bigint, n bigint, max_customer bigint, since timestamptz, span interval)
RETURNS TABLE (id bigint, customer_id bigint, called_at timestamptz, direction text, agent text, duration_s int, category text, note text)
VOLATILE LANGUAGE sql AS $$
    SELECT s.i, s.c, since + span * ((s.i - first_id)::float8 / n) + make_interval(secs => floor(s.r1 * 60)),
           CASE WHEN s.r2 < 0.8 THEN 'inbound' ELSE 'outbound' END,
           (gen.agent())[1 + floor(s.r3 * 16)::int],
           (15 + s.r4 * s.r4 * 1800)::int,
           (gen.category())[1 + floor(s.r5 * 10)::int],
           (SELECT string_agg((gen.phrase())[1 + floor(random() * 30)::int], '') FROM generate_series(1, 2 + (s.i % 5)::int))
               || CASE WHEN s.r6 < 0.3 THEN ' 注文番号 ' || (100000000 + floor(s.r7 * 900000000))::bigint::text ELSE '' END
               || CASE WHEN s.r6 > 0.85 THEN ' 次回連絡予定 ' || to_char(since + span + make_interval(days => (1 + floor(s.r7 * 14))::int), 'YYYY-MM-DD') ELSE '' END
    FROM (SELECT i, 1 + floor(random() * max_customer)::bigint AS c,
                 random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7
          FROM generate_series(first_id, first_id + n - 1) AS i) AS s
$$;

CREATE FUNCTION gen.orders(first_id bigint, n bigint, max_customer bigint, since timestamptz, span interval)
RETURNS TABLE (id bigint, customer_id bigint, ordered_at timestamptz, sku text, product text, quantity int, unit_price int,
               total int, status text, payment_token text)
VOLATILE LANGUAGE sql AS $$
    SELECT s.i, s.c, since + span * ((s.i - first_id)::float8 / n),
           'SKU-' || lpad((s.k * 1000 + 17)::text, 6, '0'), (gen.product())[s.k], s.q, (gen.price())[s.k], s.q * (gen.price())[s.k],
           CASE WHEN s.r1 < 0.85 THEN 'delivered' WHEN s.r1 < 0.93 THEN 'shipped' WHEN s.r1 < 0.97 THEN 'cancelled' ELSE 'returned' END,
           'pay_' || md5(s.i::text || '/' || s.r2::text)
    FROM (SELECT i, 1 + floor(random() * max_customer)::bigint AS c, 1 + floor(random() * 20)::int AS k,
                 1 + floor(random() * random() * 6)::int AS q, random() AS r1, random() AS r2
          FROM generate_series(first_id, first_id + n - 1) AS i) AS s
$$;

CREATE TABLE customers (
    id bigint PRIMARY KEY,
    family_name text NOT NULL, given_name text NOT NULL, family_kana text NOT NULL, given_kana text NOT NULL,
    gender char(1) NOT NULL, birthdate date NOT NULL,
    email text NOT NULL, phone text NOT NULL,
    postal_code text NOT NULL, prefecture text NOT NULL, city text NOT NULL, address_line text NOT NULL, building text,
    card_token text NOT NULL, card_last4 char(4) NOT NULL, card_brand text NOT NULL,
    status text NOT NULL, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL
);
CREATE TABLE call_logs (
    id bigint PRIMARY KEY, customer_id bigint NOT NULL, called_at timestamptz NOT NULL, direction text NOT NULL,
    agent text NOT NULL, duration_s int NOT NULL, category text NOT NULL, note text NOT NULL
);
CREATE TABLE orders (
    id bigint PRIMARY KEY, customer_id bigint NOT NULL, ordered_at timestamptz NOT NULL, sku text NOT NULL,
    product text NOT NULL, quantity int NOT NULL, unit_price int NOT NULL, total int NOT NULL, status text NOT NULL,
    payment_token text NOT NULL
);

SELECT setseed(0.1) \gset
INSERT INTO customers SELECT * FROM gen.customers(1, :customers, timestamptz '2024-06-01 00:00+09');
INSERT INTO call_logs SELECT * FROM gen.call_logs(1, 4 * :customers, :customers, timestamptz '2019-06-01 00:00+09', interval '5 years');
INSERT INTO orders SELECT * FROM gen.orders(1, 5 * :customers, :customers, timestamptz '2019-06-01 00:00+09', interval '5 years');

ALTER TABLE call_logs ADD FOREIGN KEY (customer_id) REFERENCES customers ON DELETE CASCADE;
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers ON DELETE CASCADE;
CREATE INDEX call_logs_customer ON call_logs (customer_id);
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX customers_phone ON customers (phone);
CREATE INDEX customers_email ON customers (email);
VACUUM ANALYZE;

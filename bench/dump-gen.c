/* bench/dump-gen — writes a pg_dump-like plain dump of a synthetic customer database to stdout, of about
 * BYTES bytes, fast (well over 1 GB/s on one core) so that it can be piped into `kura backup --stdin` without
 * being what is measured (bench/scale, issue 16 item 4).
 *
 * Usage: dump-gen BYTES [SEED]
 *
 * The output looks like bench/data/full/day1.sql (bench/sql/generate.sql's tables): a pg_dump header, then
 * COPY sections for call_logs (about 80 % of the bytes: Japanese free-text notes made of stock phrases),
 * customers (12 %: kanji and kana names, e-mails, phones, addresses, random card tokens) and orders (8 %), and
 * the footer. Every line carries an increasing id and time and random values, so no two 1 MiB regions are
 * alike: a 20 GB dump is 20 GB of unique data for the deduplicator, and compresses about as well as the real
 * one. Deterministic: the same BYTES and SEED give the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng_state;

static inline uint64_t next(void) { /* splitmix64 */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint32_t below(uint32_t n) { return (uint32_t)(((next() >> 32) * (uint64_t)n) >> 32); }

#define BUFFER (1 << 20)
static char buffer[BUFFER + 4096];
static size_t used;
static uint64_t written;

static void flush(void) {
    size_t off = 0;
    while (off < used) {
        ssize_t n = write(1, buffer + off, used - off);
        if (n <= 0) { perror("dump-gen: write"); exit(1); }
        off += (size_t)n;
    }
    written += used;
    used = 0;
}

static inline void put(const char *s, size_t n) { memcpy(buffer + used, s, n); used += n; }
static inline void PUTS(const char *s) { put(s, strlen(s)); }
static inline void putc_(char c) { buffer[used++] = c; }

static inline void put_uint(uint64_t v) {
    char tmp[24];
    int i = 24;
    do { tmp[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    put(tmp + i, (size_t)(24 - i));
}

static inline void put_digits(uint32_t v, int width) {
    for (int i = width - 1; i >= 0; i--) { buffer[used + i] = (char)('0' + v % 10); v /= 10; }
    used += (size_t)width;
}

static inline void put_hex(int digits) {
    static const char hex[] = "0123456789abcdef";
    uint64_t r = 0;
    for (int i = 0; i < digits; i++) {
        if (i % 16 == 0) r = next();
        putc_(hex[r & 15]);
        r >>= 4;
    }
}

/* A timestamp string from seconds since 2014-01-01 00:00 (months of 28 days: it only has to look right). */
static inline void put_time(uint64_t s) {
    uint32_t days = (uint32_t)(s / 86400), rest = (uint32_t)(s % 86400);
    put_digits(2014 + days / 336, 4); putc_('-'); put_digits(1 + days / 28 % 12, 2); putc_('-');
    put_digits(1 + days % 28, 2); putc_(' ');
    put_digits(rest / 3600, 2); putc_(':'); put_digits(rest / 60 % 60, 2); putc_(':'); put_digits(rest % 60, 2);
    PUTS("+09");
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
static const char *phrases[] = {
    "本人確認のため生年月日を確認", "定期便の配送日を変更", "電話番号変更の連絡", "特に問題なし",
    "家族カードの追加について説明", "個人情報の取り扱いについて質問あり。プライバシーポリシーを案内",
    "住所変更の依頼あり", "本人確認済み", "キャンペーン適用漏れのため手動で割引を適用", "会員ランクの条件について説明",
    "留守番電話にメッセージを残した", "ポイント残高の問い合わせ", "引き落とし口座の残高不足。再請求日を案内",
    "新商品の案内を希望。カタログ送付予定", "商品が破損していたため交換を手配", "不在票が入っていたとのこと。再配達を手配",
    "支払い方法を口座振替に変更", "折り返し希望。午後3時以降", "メールアドレスの登録ミスを修正", "領収書の再発行依頼",
    "クレジットカードの有効期限切れのため更新を依頼", "返品受付。返送用伝票を送付",
    "ログインできないとの問い合わせ。パスワード再設定を案内", "配送状況の確認。追跡番号を案内済み",
    "同じ商品の再注文。在庫ありを確認", "お客様より感謝の言葉あり", "請求金額について確認したいとのこと",
    "到着予定日を再確認、夕方の時間指定に変更", "解約希望。引き止めトーク実施、検討するとのこと",
};
static const char *agents[] = { "中川", "大野", "杉山", "千葉", "菅原", "武田", "野村", "藤井", "河野", "上田",
                                "小野", "片山", "松井", "村田", "高木", "田村" };
static const char *categories[] = { "解約", "ポイント", "支払い", "配送", "問い合わせ", "請求", "登録内容変更",
                                    "返品", "定期便", "苦情" };
static const char *families[][3] = {
    { "小川", "オガワ", "ogawa" }, { "近藤", "コンドウ", "kondo" }, { "佐々木", "ササキ", "sasaki" },
    { "林", "ハヤシ", "hayashi" }, { "渡辺", "ワタナベ", "watanabe" }, { "佐藤", "サトウ", "sato" },
    { "鈴木", "スズキ", "suzuki" }, { "高橋", "タカハシ", "takahashi" }, { "田中", "タナカ", "tanaka" },
    { "伊藤", "イトウ", "ito" }, { "山本", "ヤマモト", "yamamoto" }, { "中村", "ナカムラ", "nakamura" },
    { "小林", "コバヤシ", "kobayashi" }, { "加藤", "カトウ", "kato" }, { "吉田", "ヨシダ", "yoshida" },
    { "山田", "ヤマダ", "yamada" }, { "松本", "マツモト", "matsumoto" }, { "井上", "イノウエ", "inoue" },
};
static const char *givens[][4] = {
    { "葵", "アオイ", "aoi", "F" }, { "浩二", "コウジ", "koji", "M" }, { "麻衣", "マイ", "mai", "F" },
    { "亮", "リョウ", "ryo", "M" }, { "真由美", "マユミ", "mayumi", "F" }, { "翔太", "ショウタ", "shota", "M" },
    { "陽菜", "ヒナ", "hina", "F" }, { "大輔", "ダイスケ", "daisuke", "M" }, { "美咲", "ミサキ", "misaki", "F" },
    { "健一", "ケンイチ", "kenichi", "M" }, { "結衣", "ユイ", "yui", "F" }, { "拓也", "タクヤ", "takuya", "M" },
};
static const char *domains[] = { "biglobe.ne.jp", "icloud.com", "nifty.com", "yahoo.co.jp", "gmail.com", "docomo.ne.jp" };
static const char *places[][3] = {
    { "273", "千葉県", "船橋市" }, { "530", "大阪府", "大阪市北区" }, { "650", "兵庫県", "神戸市中央区" },
    { "560", "大阪府", "豊中市" }, { "160", "東京都", "新宿区" }, { "220", "神奈川県", "横浜市西区" },
    { "460", "愛知県", "名古屋市中区" }, { "810", "福岡県", "福岡市中央区" }, { "060", "北海道", "札幌市中央区" },
};
static const char *towns[] = { "旭町", "若葉", "青葉台", "本町", "緑が丘", "桜木町", "栄町", "中央" };
static const char *buildings[] = { "ヴィラ花園", "レジデンス本町", "メゾン緑が丘", "パークハイツ", "コーポ若葉" };
static const char *brands[] = { "VISA", "Mastercard", "JCB", "Diners", "AMEX" };
static const char *statuses[] = { "active", "active", "active", "dormant", "closed" };
static const char *products[][2] = {
    { "ミネラルウォーター 2L×6本", "980" }, { "有機緑茶 ティーバッグ 50包", "1280" }, { "コーヒー豆 深煎り 500g", "1980" },
    { "ハンドクリーム 無香料", "780" }, { "今治タオル フェイスタオル3枚組", "3300" }, { "新潟県産コシヒカリ 5kg", "2980" },
    { "洗濯洗剤 詰め替え用 1.5kg", "598" }, { "ビタミンC サプリメント 90日分", "1580" }, { "ワイヤレスイヤホン", "8980" },
    { "モバイルバッテリー 10000mAh", "3480" }, { "スチーム式加湿器", "12800" }, { "電気ケトル 1.0L", "4980" },
};
static const char *order_statuses[] = { "delivered", "delivered", "delivered", "shipped", "cancelled", "returned" };

static void call_log(uint64_t id, uint64_t *clock, uint64_t customers) {
    put_uint(id); putc_('\t'); put_uint(1 + below((uint32_t)customers)); putc_('\t');
    *clock += below(120); put_time(*clock); putc_('\t');
    PUTS(below(3) ? "inbound" : "outbound"); putc_('\t');
    PUTS(agents[below(COUNT(agents))]); putc_('\t'); put_uint(30 + below(1200)); putc_('\t');
    PUTS(categories[below(COUNT(categories))]); putc_('\t');
    int n = 2 + (int)below(4);
    for (int i = 0; i < n; i++) { PUTS(phrases[below(COUNT(phrases))]); PUTS("。"); }
    switch (below(4)) {
    case 0: PUTS(" 次回連絡予定 "); put_time(*clock + 86400 * (1 + below(30))); used -= 12; break;
    case 1: PUTS(" 注文番号 "); put_uint(below(4000000)); break;
    default: break;
    }
    putc_('\n');
}

static void customer(uint64_t id, uint64_t *clock) {
    uint32_t f = below(COUNT(families)), g = below(COUNT(givens)), p = below(COUNT(places));
    put_uint(id); putc_('\t'); PUTS(families[f][0]); putc_('\t'); PUTS(givens[g][0]); putc_('\t');
    PUTS(families[f][1]); putc_('\t'); PUTS(givens[g][1]); putc_('\t'); PUTS(givens[g][3]); putc_('\t');
    put_digits(1950 + below(55), 4); putc_('-'); put_digits(1 + below(12), 2); putc_('-'); put_digits(1 + below(28), 2);
    putc_('\t'); PUTS(givens[g][2]); putc_(below(2) ? '.' : '_'); PUTS(families[f][2]); put_uint(below(10000)); putc_('@');
    PUTS(domains[below(COUNT(domains))]); putc_('\t');
    PUTS(below(2) ? "090-" : "03-"); put_digits(below(10000), 4); putc_('-'); put_digits(below(10000), 4); putc_('\t');
    PUTS(places[p][0]); putc_('-'); put_digits(below(10000), 4); putc_('\t'); PUTS(places[p][1]); putc_('\t');
    PUTS(places[p][2]); putc_('\t'); PUTS(towns[below(COUNT(towns))]); put_uint(1 + below(9)); PUTS("丁目");
    put_uint(1 + below(30)); PUTS("番"); put_uint(1 + below(20)); PUTS("号"); putc_('\t');
    if (below(2)) { PUTS(buildings[below(COUNT(buildings))]); putc_(' '); put_uint(101 + below(1200)); PUTS("号室"); }
    else PUTS("\\N");
    PUTS("\ttok_"); put_hex(32); putc_('\t'); put_digits(below(10000), 4); putc_('\t');
    PUTS(brands[below(COUNT(brands))]); putc_('\t'); PUTS(statuses[below(COUNT(statuses))]); putc_('\t');
    *clock += below(600); put_time(*clock); putc_('\t'); put_time(*clock + below(300000000)); putc_('\n');
}

static void order(uint64_t id, uint64_t *clock, uint64_t customers) {
    uint32_t p = below(COUNT(products)), q = 1 + below(5);
    put_uint(id); putc_('\t'); put_uint(1 + below((uint32_t)customers)); putc_('\t');
    *clock += below(120); put_time(*clock); PUTS("\tSKU-"); put_digits(p * 1000 + 1017, 6); putc_('\t');
    PUTS(products[p][0]); putc_('\t'); put_uint(q); putc_('\t'); PUTS(products[p][1]); putc_('\t');
    put_uint(q * (uint64_t)atoi(products[p][1])); putc_('\t'); PUTS(order_statuses[below(COUNT(order_statuses))]);
    PUTS("\tpay_"); put_hex(32); putc_('\n');
}

static const char header[] =
    "--\n-- PostgreSQL database dump\n--\n\n\\restrict kurabench\n\n"
    "-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)\n"
    "-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)\n\n"
    "SET statement_timeout = 0;\nSET lock_timeout = 0;\nSET client_encoding = 'UTF8';\n"
    "SET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);\n\n";

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: dump-gen BYTES [SEED]   (writes a ~BYTES pg_dump-like dump to stdout)\n");
        return 64;
    }
    uint64_t total = strtoull(argv[1], NULL, 10);
    rng_state = argc == 3 ? strtoull(argv[2], NULL, 10) : 1;
    uint64_t customers = total / 2000 + 1000, clock = 170000000, id;
    put(header, sizeof header - 1);
    PUTS("COPY public.call_logs (id, customer_id, called_at, direction, agent, duration_s, category, note) FROM stdin;\n");
    for (id = 1; written + used < total * 80 / 100; id++) {
        call_log(id, &clock, customers);
        if (used >= BUFFER) flush();
    }
    PUTS("\\.\n\n\nCOPY public.customers (id, family_name, given_name, family_kana, given_kana, gender, birthdate, email, "
         "phone, postal_code, prefecture, city, address_line, building, card_token, card_last4, card_brand, status, "
         "created_at, updated_at) FROM stdin;\n");
    clock = 10000000;
    for (id = 1; written + used < total * 92 / 100; id++) {
        customer(id, &clock);
        if (used >= BUFFER) flush();
    }
    PUTS("\\.\n\n\nCOPY public.orders (id, customer_id, ordered_at, sku, product, quantity, unit_price, total, status, "
         "payment_token) FROM stdin;\n");
    clock = 170000000;
    for (id = 1; written + used < total - 200; id++) {
        order(id, &clock, customers);
        if (used >= BUFFER) flush();
    }
    PUTS("\\.\n\n\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict kurabench\n\n");
    flush();
    return 0;
}

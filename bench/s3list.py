#!/usr/bin/env python3
"""bench/s3list.py ENDPOINT BUCKET: the number and total size of the objects in an S3 bucket.

Signed with AWS Signature Version 4 from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (region
AWS_DEFAULT_REGION, default us-east-1), path-style, standard library only; follows continuation
tokens. Prints "OBJECTS BYTES". Used by bench/s3 to measure what each tool stored."""
import datetime, hashlib, hmac, os, sys, urllib.parse, urllib.request
import xml.etree.ElementTree as ET


def sign(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def list_page(endpoint, bucket, token, access, secret, region):
    url = urllib.parse.urlsplit(endpoint)
    query = {"list-type": "2", "max-keys": "1000"}
    if token:
        query["continuation-token"] = token
    canonical_query = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(v, safe='-_.~')}"
                               for k, v in sorted(query.items()))
    now = datetime.datetime.now(datetime.timezone.utc)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    payload = hashlib.sha256(b"").hexdigest()
    headers = {"host": url.netloc, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
    signed = ";".join(sorted(headers))
    canonical = "\n".join(["GET", "/" + urllib.parse.quote(bucket), canonical_query,
                           "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)), signed, payload])
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = sign(sign(sign(sign(("AWS4" + secret).encode(), day), region), "s3"), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    request = urllib.request.Request(f"{endpoint}/{urllib.parse.quote(bucket)}?{canonical_query}", headers={
        "x-amz-content-sha256": payload, "x-amz-date": amz_date,
        "Authorization": f"AWS4-HMAC-SHA256 Credential={access}/{scope}, SignedHeaders={signed}, Signature={signature}"})
    with urllib.request.urlopen(request) as response:
        return ET.fromstring(response.read())


def main():
    endpoint, bucket = sys.argv[1].rstrip("/"), sys.argv[2]
    access, secret = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
    region = os.environ.get("AWS_DEFAULT_REGION", "us-east-1")
    ns = "{http://s3.amazonaws.com/doc/2006-03-01/}"
    count = total = 0
    token = None
    while True:
        root = list_page(endpoint, bucket, token, access, secret, region)
        for item in root.iter(ns + "Contents"):
            count += 1
            total += int(item.find(ns + "Size").text)
        if root.findtext(ns + "IsTruncated") != "true":
            break
        token = root.findtext(ns + "NextContinuationToken")
    print(count, total)


if __name__ == "__main__":
    main()

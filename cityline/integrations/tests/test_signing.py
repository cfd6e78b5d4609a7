import hashlib
import hmac

from cityline.integrations.signing import signature, signature_valid, work_order_bytes


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    # given
    body = work_order_bytes({"b": 1, "a": "é"})
    # when
    header = signature(secret="s3cret", timestamp="1700000000", body=body)
    # then
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"sha256={expected}"
    assert body == '{"a":"é","b":1}'.encode()


def test_a_receiver_accepts_a_fresh_signature_and_refuses_tampering_or_an_old_timestamp():
    # given
    body = b'{"a":1}'
    header = signature(secret="k", timestamp="1000", body=body)
    # then
    assert signature_valid(secret="k", timestamp="1000", body=body, header=header, now=1100)
    assert not signature_valid(
        secret="k", timestamp="1000", body=b'{"a":2}', header=header, now=1100
    )
    assert not signature_valid(secret="other", timestamp="1000", body=body, header=header, now=1100)
    assert not signature_valid(secret="k", timestamp="1000", body=body, header=header, now=2000)
    assert not signature_valid(secret="k", timestamp="soon", body=body, header=header, now=1000)

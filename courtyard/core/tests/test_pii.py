import base64
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from courtyard.core import pii
from courtyard.core.audit import Actor
from courtyard.core.models import User

from .factories import make_community

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2, computed here independently of pii.py."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


VALID_ID = with_check_digit("11010519491231002")
PHONE = "13912345678"


# ---------------------------------------------------------------- encryption
def test_encrypt_decrypt_round_trip():
    token = pii.encrypt("张三 13912345678")
    assert token.startswith("v1:")
    assert "13912345678" not in token
    assert pii.decrypt(token) == "张三 13912345678"


def test_equal_plaintexts_give_different_ciphertexts():
    assert pii.encrypt(PHONE) != pii.encrypt(PHONE)


def test_tampered_ciphertext_is_rejected():
    token = pii.encrypt(PHONE)
    raw = bytearray(base64.b64decode(token[3:]))
    raw[-1] ^= 1
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
        pii.decrypt("v1:" + base64.b64encode(bytes(raw)).decode())
    with pytest.raises(ValueError):
        pii.decrypt(PHONE)


def test_wrong_key_cannot_decrypt(settings):
    token = pii.encrypt(PHONE)
    settings.FIELD_ENCRYPTION_KEY = base64.b64encode(os.urandom(32)).decode()
    with pytest.raises(Exception):  # noqa: B017
        pii.decrypt(token)


def test_bad_keys_are_refused(settings):
    settings.FIELD_ENCRYPTION_KEY = base64.b64encode(b"short").decode()
    with pytest.raises(ImproperlyConfigured):
        pii.encrypt(PHONE)
    settings.FIELD_ENCRYPTION_KEY = "not base64!!"
    with pytest.raises(ImproperlyConfigured):
        pii.encrypt(PHONE)


# ---------------------------------------------------------------- blind index
def test_blind_index_is_stable_and_namespaced():
    assert pii.blind_index("phone", PHONE) == pii.blind_index("phone", PHONE)
    assert pii.blind_index("phone", PHONE) != pii.blind_index("id", PHONE)
    assert len(pii.blind_index("phone", PHONE)) == 64
    assert pii.phone_index("+86 139-1234-5678") == pii.blind_index("phone", PHONE)


def test_blind_index_depends_on_the_key(settings):
    before = pii.blind_index("phone", PHONE)
    settings.BLIND_INDEX_KEY = base64.b64encode(os.urandom(32)).decode()
    after = pii.blind_index("phone", PHONE)
    assert before != after
    import hashlib

    assert after != hashlib.sha256(f"phone:{PHONE}".encode()).hexdigest()  # not a plain hash


# ---------------------------------------------------------------- normalisation
@pytest.mark.parametrize(
    "raw", ["+86 138-0013-8000", "13800138000.0", "13800138000", "0086 138 0013 8000", "(138)00138000", 13800138000]
)
def test_normalize_phone_accepts(raw):
    assert pii.normalize_phone(raw) == "13800138000"


@pytest.mark.parametrize("raw", ["12345", "", None, "12800138000", "1380013800", "138001380001", "abc"])
def test_normalize_phone_rejects(raw):
    with pytest.raises(ValueError):
        pii.normalize_phone(raw)


def test_id_number_check_digit():
    assert pii.normalize_id_number(VALID_ID) == VALID_ID
    assert pii.normalize_id_number(" " + VALID_ID.lower() + " ") == VALID_ID
    wrong = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
    with pytest.raises(ValueError):
        pii.normalize_id_number(wrong)
    with pytest.raises(ValueError):
        pii.normalize_id_number(VALID_ID[:17])
    with pytest.raises(ValueError):
        pii.normalize_id_number("")


def test_id_number_with_x_check_digit():
    # Search a few prefixes for one whose check digit is X, to cover that branch.
    for n in range(1000):
        candidate = with_check_digit(f"11010519491231{n:03d}")
        if candidate.endswith("X"):
            assert pii.normalize_id_number(candidate.lower()) == candidate
            break
    else:
        pytest.fail("no X check digit found")


# ---------------------------------------------------------------- masking
def test_masking():
    assert pii.mask_phone(PHONE) == "139****5678"
    assert pii.mask_phone("") == ""
    assert pii.mask_phone("123") == "****"
    assert pii.mask_id_number(VALID_ID) == VALID_ID[:3] + "*" * 11 + VALID_ID[-4:]
    assert pii.mask_name("张三") == "张*"
    assert pii.mask_name("欧阳娜娜") == "欧***"
    assert pii.mask_name("张") == "张*"


# ---------------------------------------------------------------- at rest
def _all_text_in_database() -> list[tuple[str, str, str]]:
    """Every non-null value of every column of every table, as text."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            if not columns:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    if isinstance(value, (bytes, bytearray, memoryview)):
                        value = bytes(value).decode("utf-8", "replace")
                    found.append((table, column, str(value)))
    return found


@pytest.mark.django_db
def test_database_holds_no_plain_phone_or_id_number():
    from courtyard.org.models import Person
    from courtyard.org.services import create_person

    user = User.objects.create_user(PHONE, display_name="Li Si")
    community = make_community()
    person = create_person(by=Actor(user=user), community=community, name="李四", phone="139 1234 5678",
                           id_number=VALID_ID)

    values = _all_text_in_database()
    tables = {table for table, _, _ in values}
    assert {"core_user", "org_person", "core_auditevent"} <= tables  # the scan really saw the rows
    leaks = [(t, c) for t, c, v in values if PHONE in v or VALID_ID in v]
    assert leaks == []

    # ... and yet both can be found and read back through the blind index.
    assert Person.objects.get(phone_hash=pii.phone_index("+86 139-1234-5678")) == person
    assert Person.objects.get(id_hash=pii.id_index(VALID_ID)) == person
    assert User.objects.get_by_phone(PHONE) == user
    reloaded = Person.objects.get(pk=person.pk)
    assert (reloaded.phone, reloaded.id_number) == (PHONE, VALID_ID)
    assert reloaded.masked_phone == "139****5678"

    # Control: the scan does find a number written in plain text.
    from courtyard.core.audit import record

    record(Actor.system(), "test.leak", note=f"call {PHONE}")
    assert ("core_auditevent", "note") in [(t, c) for t, c, v in _all_text_in_database() if PHONE in v]


@pytest.mark.django_db
def test_encrypted_field_cannot_be_filtered():
    with pytest.raises(TypeError):
        list(User.objects.filter(phone=PHONE))

from wenming.core.masking import mask_id_number, mask_name, mask_phone, redact_text


def test_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_phone("12345") == "*****"
    assert mask_phone("") == ""


def test_id_number_keeps_prefix_and_suffix():
    assert mask_id_number("15020419900101123X") == "1502**********123X"


def test_name_keeps_family_name():
    assert mask_name("张三丰") == "张**"


def test_redact_text_masks_phones_and_plates_but_not_other_numbers():
    text = "车牌蒙B12345停在门口，车主电话13912345678，门牌号88号，工单号20261123"
    redacted = redact_text(text)
    assert "13912345678" not in redacted and "139****5678" in redacted
    assert "蒙B12345" not in redacted and "蒙B***45" in redacted
    assert "88号" in redacted and "20261123" in redacted

"""Demo message board: answered questions, complaints and suggestions on the public board, and
messages waiting in the moderation queue (once; run by `wenming demo`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from .models import BoardMessage, MessageKind, SensitiveWord
from .services import (
    board_message_moderate,
    board_message_reply,
    board_message_submit,
    board_message_to_case,
)

TOKEN_PREFIX = "demo-board-"
# Spam that Chinese message boards commonly filter; a city keeps its own list in the admin.
SENSITIVE_WORDS = ["代开发票", "办证刻章"]


@dataclass(frozen=True)
class DemoMessage:
    kind: str
    title: str
    body: str
    public: bool = True
    approve: bool | None = True  # None: left in the moderation queue
    reply: str = ""
    to_case: bool = False


MESSAGES = [
    DemoMessage(
        MessageKind.QUESTION,
        "居住证在哪里办理？需要带哪些材料？",
        "刚从外地来包头工作，租住在青山区，想办理居住证，请问在哪里办、需要准备什么材料？",
        reply="您好！可到居住地所在社区或青山区政务服务中心一楼综合窗口办理，携带身份证、"
        "租房合同及近期一寸照片一张。工作日 9:00–17:00 受理，详询 12345。",
    ),
    DemoMessage(
        MessageKind.COMPLAINT,
        "钢铁大街工地夜间施工噪音扰民",
        "钢铁大街与青山路交叉口附近的工地每晚施工到凌晨一两点，周边居民无法休息，希望有关部门管一管。",
        reply="经青山区城市管理综合执法局现场核查，该工地未办理夜间施工许可，已责令整改，"
        "22 时后停止高噪声作业。如再发现，请拨打 12345 或在随手拍上报。",
    ),
    DemoMessage(
        MessageKind.SUGGESTION,
        "建议八一公园北门增设无障碍坡道",
        "八一公园北门只有台阶，推轮椅和婴儿车的市民进出很不方便，建议增设无障碍坡道。",
        reply="感谢您的建议！园林部门已将北门无障碍坡道列入今年的公园提升改造计划，预计年内完工。",
    ),
    DemoMessage(
        MessageKind.QUESTION,
        "文明实践站的志愿活动怎么报名？",
        "想带孩子参加周末的志愿服务活动，请问在哪里看活动信息、怎么报名？",
    ),
    DemoMessage(
        MessageKind.COMPLAINT,
        "富强路小区门口路灯不亮",
        "富强路某小区南门外的三盏路灯已经一周不亮了，晚上出行很不安全。",
        to_case=True,
        reply="已转为案件，交由市政部门处置，可凭案件编号查询进度。",
    ),
    DemoMessage(
        MessageKind.COMPLAINT,
        "楼上住户长期高空抛物",
        "我家楼上住户经常从窗户往下扔垃圾，已经砸坏过楼下的车，希望物业和社区处理。",
        public=False,
    ),
    DemoMessage(
        MessageKind.SUGGESTION,
        "建议增加 5 路公交早高峰班次",
        "早高峰 5 路公交车很挤，经常等两三趟才能上车，建议 7:00–8:30 加密班次。",
        approve=None,
    ),
    DemoMessage(
        MessageKind.QUESTION,
        "代开发票，各类票据，联系微信",
        "专业代开发票，价格优惠，量大从优。",
        approve=None,
    ),
]


def seed_demo() -> int:
    """The demo board's messages (none when they exist or the city is not seeded); how many
    were made."""
    User = get_user_model()
    moderator = User.objects.filter(username="dispatcher").first()
    if moderator is None or BoardMessage.objects.filter(submit_token__startswith=TOKEN_PREFIX):
        return 0
    for word in SENSITIVE_WORDS:
        SensitiveWord.objects.get_or_create(word=word)
    for n, demo in enumerate(MESSAGES):
        message, _created = board_message_submit(
            token=f"{TOKEN_PREFIX}{n}",
            kind=demo.kind,
            title=demo.title,
            body=demo.body,
            is_public=demo.public,
            author_name="市民",
            author_phone=f"1390000{n:04d}",  # a private message's author reads it by phone
        )
        if demo.approve is not None:
            board_message_moderate(message_id=message.pk, actor=moderator, approve=demo.approve)
        if demo.to_case:
            board_message_to_case(message_id=message.pk, actor=moderator)
        if demo.reply:
            board_message_reply(message_id=message.pk, actor=moderator, reply=demo.reply)
    return len(MESSAGES)

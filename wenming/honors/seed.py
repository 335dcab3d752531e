"""Demo honorees (好人榜) of 青山区 (idempotent)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from wenming.org.models import Region

from . import services
from .models import Honoree

HONOREES = [  # name, category, community code, headline, story, level or "" (still nominated)
    (
        "李秀兰",
        "helping",
        "150204001001",
        "十年如一日照顾独居老人",
        "李秀兰是六合成社区的退休教师，十年来每天为楼里三位独居老人送饭、陪聊、代购药品，"
        "还组织起邻里互助小组，让社区里的空巢老人都有人照应。",
        "city",
    ),
    (
        "张海军",
        "courage",
        "150204002001",
        "冰河救起落水儿童",
        "去年冬天，出租车司机张海军路过昆都仑河时发现有儿童落入冰窟，他毫不犹豫跳入冰冷的河水，"
        "和路人一起将孩子救上岸，自己却冻伤住院。",
        "provincial",
    ),
    (
        "王桂芝",
        "filial",
        "150204003001",
        "悉心照料瘫痪婆婆二十年",
        "王桂芝的婆婆因病瘫痪在床二十年，她每天翻身、擦洗、喂饭，从无怨言，"
        "婆婆身上从未生过褥疮，邻居们都说她是最孝顺的儿媳。",
        "district",
    ),
    (
        "刘建国",
        "dedication",
        "150204001002",
        "坚守路口的文明交通劝导员",
        "刘建国是青山区文明交通劝导志愿服务队的老队员，五年来风雨无阻坚守钢铁大街路口，"
        "累计服务时长超过一千小时。",
        "district",
    ),
    (
        "赵明",
        "honesty",
        "150204004001",
        "拾金不昧归还十万元货款",
        "外卖骑手赵明在送餐途中捡到一个装有十万元现金的挎包，他在原地等候两个小时，"
        "终于把钱包交还给焦急的失主。",
        "",
    ),
]


@transaction.atomic
def seed_demo() -> None:
    if Honoree.objects.exists():
        return
    staff = get_user_model().objects.get(username="centerstaff")
    for name, category, code, title, story, level in HONOREES:
        honoree = services.honoree_nominate(
            name=name,
            category=category,
            region=Region.objects.get(code=code),
            title=title,
            story=story,
            nominator_name="青山区文明办",
            nominator_phone="13847200000",
        )
        if level:
            services.honoree_approve(honoree=honoree, actor=staff, level=level)

"""Demo seed of the hotline (idempotent): landmarks of 青山区 callers name instead of an
address (approximate WGS-84 coordinates inside the demo district), and the knowledge base's
办事指南 items. The heating-season items follow the current season; one festival item has
already expired, to show that expired items are not offered."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from wenming.cases.models import Category
from wenming.org.selectors import region_at

from .models import KnowledgeItem, Place

PLACES = [  # name, other names, lat, lon
    ("包头市第一工人文化宫", "一宫 工人文化宫 第一工人文化宫", 40.6585, 109.8830),
    ("青山宾馆", "青山宾馆酒店", 40.6555, 109.8905),
    ("包头万达广场（青山店）", "万达广场 万达 青山万达", 40.6560, 109.8680),
    ("八一公园", "八一公园东门 八一公园南门", 40.6620, 109.8785),
    ("赛汗塔拉城中草原", "赛汗塔拉 城中草原 赛罕塔拉", 40.6450, 109.8620),
    ("青山区人民政府", "青山区政府 区政府", 40.6500, 109.9010),
    ("包头师范学院", "包师 师范学院", 40.6640, 109.9330),
    ("内蒙古第一机械集团", "一机 一机集团 一机厂", 40.6760, 109.9150),
    ("北方重工集团", "北重 北方重工 二机厂", 40.6850, 109.9420),
    ("包头北方兵器城", "兵器城", 40.6930, 109.8880),
]


def _heating_season(today: date) -> tuple[date, date]:
    """包头's heating season: 15 October to 15 April; the one under way or coming next."""
    year = today.year if today.month >= 5 else today.year - 1
    return date(year, 10, 15), date(year + 1, 4, 15)


def _items(today: date) -> list[tuple[str, str, str, str, date | None, date | None]]:
    """question, answer, category code ("event:0501", "" for none), keywords, from, until."""
    start, end = _heating_season(today)
    season = f"{start:%Y}—{end:%Y}年供暖季"
    return [
        (
            f"{season}什么时候开始供暖、什么时候停暖？",
            f"包头市城市集中供热期为每年10月15日至次年4月15日，本供暖季为{start:%Y年%m月%d日}至"
            f"{end:%Y年%m月%d日}。遇气温异常，市政府可决定提前供热或延长供热期，以官方公告为准。",
            "event:1201",
            "供暖 暖气 供热期 开栓 停暖",
            date(start.year, 9, 1),
            end,
        ),
        (
            "暖气不热怎么投诉？室温多少度算达标？",
            "供热期内居民卧室、起居室温度不低于18℃为达标。可拨打12345或供热企业服务热线报修，"
            "供热企业接到投诉后24小时内上门测温，不达标的应在72小时内整改；整改期间室温仍不达标的，"
            "可按规定申请退还相应供热费。",
            "event:1201",
            "暖气不热 室温 测温 18度 退费",
            None,
            None,
        ),
        (
            "供暖投诉多长时间内处理？",
            "12345受理后派给供热企业：一般问题2个工作小时内签收、24小时内上门；"
            "管网跑冒滴漏等紧急问题立即抢修，4小时内到场。处理结果会电话回访，不满意可申请重办。",
            "event:1202",
            "供暖投诉 时限 多久处理 回访",
            start,
            end,
        ),
        (
            "占道经营怎么处理？流程是什么？",
            "占道经营由所在街道和城管执法部门处理：受理后派单给属地街道，执法人员到场先劝导、"
            "责令改正；拒不改正的依法暂扣物品并处罚款。可在便民疏导点、夜市等规定区域经营。"
            "处理结果在3个工作日内反馈。",
            "event:0501",
            "占道经营 摆摊 流动摊贩 夜市 城管",
            None,
            None,
        ),
        (
            "12345热线受理哪些事项？哪些不受理？",
            "12345受理政务咨询、求助、投诉、举报和意见建议，涉及城市管理、公共服务、市场监管等各方面。"
            "不受理：需要110、119、120、122处置的紧急事项（请直接拨打）；已进入诉讼、仲裁、"
            "行政复议程序的；涉及国家秘密的；对人大、政协、法院、检察院职权范围内事项的诉求。",
            "event:1301",
            "12345 受理范围 不受理 热线",
            None,
            None,
        ),
        (
            "怎样注册成为志愿者？",
            "年满14周岁即可注册。可在本平台“志愿服务”页面或“志愿中国”小程序实名注册，"
            "选择所在社区的新时代文明实践站加入志愿服务队；未满18周岁的需监护人同意。"
            "参加活动签到签退后，服务时长自动记入服务时长记录。",
            "event:1301",
            "志愿者 注册 志愿服务 服务时长",
            None,
            None,
        ),
        (
            "垃圾分类投放时间是几点？",
            "青山区垃圾分类示范小区定时定点投放：早7:00—9:00、晚18:00—20:00，"
            "厨余垃圾破袋投放；有害垃圾、可回收物可投放到小区回收点或每月第一个周六的集中回收日。",
            "component:0303",
            "垃圾分类 投放时间 厨余垃圾 定时定点",
            None,
            None,
        ),
        (
            "装修垃圾、大件家具怎么清运？",
            "装修垃圾须袋装后堆放到物业指定地点，由物业联系有资质的清运单位收费清运，严禁随意倾倒。"
            "旧沙发、床垫等大件垃圾可预约社区或物业集中清运。乱倒建筑垃圾的可向12345举报。",
            "event:0102",
            "装修垃圾 建筑垃圾 大件垃圾 清运",
            None,
            None,
        ),
        (
            "广场舞声音太大怎么办？",
            "公共场所健身娱乐活动应控制音量，22:00至次日6:00不得使用音响器材。"
            "可向12345反映，由属地街道和公安派出所劝导协调；屡劝不改的由公安机关依法处理。",
            "event:1003",
            "广场舞 噪声 音响 扰民",
            None,
            None,
        ),
        (
            "工地夜间施工扰民怎么办？",
            "22:00至次日6:00禁止产生噪声的建筑施工，因工艺必须连续施工的须取得夜间施工证明并公告周边居民。"
            "无证夜间施工可向12345投诉，由住建和生态环境部门查处。",
            "event:1001",
            "夜间施工 工地 噪声 扰民",
            None,
            None,
        ),
        (
            "车辆乱停堵住小区出口怎么办？",
            "道路上乱停放由公安交警部门处理，可拨打122或向12345反映；小区内部乱停放由物业管理，"
            "可先联系物业。堵塞消防通道的可拨打119。",
            "event:0504",
            "乱停车 堵门 挪车 消防通道",
            None,
            None,
        ),
        (
            "家里停水了，怎么查询停水原因？",
            "计划停水由供排水公司提前24小时在小区和官方公众号公告；突发停水可拨打供排水公司服务热线查询。"
            "连续停水超过24小时的，供排水公司应安排临时供水。",
            "event:1203",
            "停水 没水 水压低 供水",
            None,
            None,
        ),
        (
            "闻到燃气味怎么办？",
            "立即关闭燃气阀门、打开门窗通风，不要开关电器、不要使用明火和手机，"
            "到室外安全地点拨打燃气公司抢险电话或119。12345会同时通知燃气企业紧急处置。",
            "event:1206",
            "燃气泄漏 煤气味 天然气 抢险",
            None,
            None,
        ),
        (
            "路灯不亮找谁修？",
            "城市道路路灯由城市管理部门负责维护，受理后派单维修，一般故障3个工作日内修复；"
            "小区内部路灯由物业负责。报修时请说明路名和灯杆编号。",
            "component:0108",
            "路灯 不亮 灯杆 照明",
            None,
            None,
        ),
        (
            "井盖丢了或者破了怎么办？",
            "井盖缺失属紧急隐患，受理后立即通知权属单位设置警示并在24小时内补齐。"
            "请在现场设置临时警示物并远离，说明具体位置和井盖类型（自来水、污水、热力、燃气）。",
            "component:0101",
            "井盖 丢失 破损 下水井",
            None,
            None,
        ),
        (
            "怎么举报违法建设？",
            "可通过12345或随手拍举报，请说明具体地址和建设情况，最好附照片。"
            "属地街道和城管执法部门核查后依法处理，举报人信息严格保密。",
            "event:0304",
            "违建 违法建设 私搭乱建 举报",
            None,
            None,
        ),
        (
            "物业服务不到位怎么投诉？",
            "可先向物业服务企业提出；未解决的可向社区居委会、街道或12345反映，"
            "由住房和城乡建设部门督促整改。涉及收费问题的可向市场监管部门反映。",
            "event:0904",
            "物业 投诉 物业服务 收费",
            None,
            None,
        ),
        (
            "全国文明城市测评什么时候进行？市民能做什么？",
            "全国文明城市测评采取实地考察、问卷调查和材料审核相结合的方式，实地考察不提前通知。"
            "市民可从文明出行、垃圾分类、爱护公共设施做起，也可注册志愿者参加文明实践活动。",
            "event:1301",
            "创文 文明城市 测评 创建",
            None,
            None,
        ),
        (
            "小区里贴满了小广告怎么办？",
            "非法小广告由属地街道组织清理，城管执法部门依据广告上的电话追查发布者并依法处罚。"
            "请说明具体位置，可附照片。",
            "event:0201",
            "小广告 牛皮癣 乱贴 办证",
            None,
            None,
        ),
        (
            "饭店油烟扰民怎么投诉？",
            "餐饮服务单位应安装油烟净化设施并正常使用，油烟不得直排。"
            "受理后由生态环境部门和城管执法部门核查，未安装或不正常使用的依法责令改正并处罚。",
            "event:0107",
            "油烟 饭店 餐饮 排烟",
            None,
            None,
        ),
        (
            "怎样推荐身边的好人？",
            "可在本平台“身边好人”页面在线推荐，写明被推荐人的事迹和联系方式；"
            "经社区、街道审核后，优秀事迹列入好人榜并推荐参评各级道德模范。",
            "event:1303",
            "好人 推荐 道德模范 好人榜",
            None,
            None,
        ),
        (
            "2026年春节期间烟花爆竹燃放时间和地点是怎样规定的？",
            "2026年春节期间（除夕至正月十五），市区规定区域内可在7:00—24:00燃放烟花爆竹，"
            "除夕当天延长至次日1:00；医院、学校、文物保护单位周边禁止燃放。",
            "event:1301",
            "烟花爆竹 燃放 春节 鞭炮",
            date(2026, 1, 20),
            date(2026, 3, 5),
        ),
    ]


def _category(ref: str) -> Category | None:
    if not ref:
        return None
    kind, code = ref.split(":")
    return Category.objects.filter(kind=kind, code=code).first()


@transaction.atomic
def seed_demo() -> None:
    for name, aliases, lat, lon in PLACES:
        Place.objects.update_or_create(
            name=name,
            defaults={
                "aliases": aliases,
                "lat": lat,
                "lon": lon,
                "region": region_at(lat=lat, lon=lon),
            },
        )
    if KnowledgeItem.objects.exists():
        return
    for question, answer, ref, keywords, start, end in _items(timezone.localdate()):
        KnowledgeItem.objects.create(
            question=question,
            answer=answer,
            category=_category(ref),
            keywords=keywords,
            valid_from=start,
            valid_until=end,
        )

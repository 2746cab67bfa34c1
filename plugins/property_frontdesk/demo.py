"""Demo rows for a property tenant (`consultdesk demo`): archive entries, reviews of the past
days, an outside event. Through the service, so the rules hold in the demo too."""

from __future__ import annotations

from datetime import timedelta

from plugins.property_frontdesk import service

ARCHIVE = [  # title, category, content, phone, tags
    ("有线电视故障报修", "telecom", "有线电视信号故障请拨广电客服，报小区名称和房号。",
     "96655", "电视 有线 报修"),
    ("电信宽带报修", "telecom", "宽带、固话故障请拨电信客服，需提供宽带账号。",
     "10000", "宽带 网络 电话 报修"),
    ("移动宽带报修", "telecom", "移动宽带故障请拨移动客服。", "10086", "宽带 网络 报修"),
    ("辖区派出所", "security", "小区所属派出所值班电话，24小时有人接听。",
     "020-83112110", "派出所 报警 治安"),
    ("供电抢修", "repair", "停电或电表故障请拨供电服务热线。", "95598", "停电 供电 电表"),
    ("自来水抢修", "repair", "停水、水管爆裂请拨自来水热线，室内维修可报物业工程部。",
     "96968", "停水 水管"),
    ("房产证办理", "property_certificate",
     "房产证由开发商统一办理，进度请以开发商通知为准；需经物管部经理确认后答复。", None, "房产证 不动产"),
    ("管理处办公时间", "other", "客服中心办公时间：每日 8:30–18:00，节假日值班。",
     "020-88886666", "办公时间 值班"),
]


def populate(tenant, staff: dict, now, rng) -> None:
    lead = staff.get("desk_lead") or staff["admin"]
    for title, category, content, phone, tags in ARCHIVE:
        if category not in {c["code"] for c in service.inquiries.categories()}:
            category = None
        service.add_info({"title": title, "category": category, "content": content, "phone": phone,
                          "tags": tags}, lead, now=now)
    supervisor = staff.get("supervisor") or staff["admin"]
    today = service.today(now)
    # The supervisor checked the past days, except the day before yesterday (the sweep flags it)
    for back in (1, 3, 4, 5, 6):
        day = today - timedelta(days=back)
        service.record_daily_review(day, {
            "remarks": rng.choice(["台帐记录完整。", "个别咨询未写明约定时间，已提醒。", "重要事项已跟进。"]),
            "arrangements": rng.choice(["逾期未复的咨询今日上午十点前回复业户。",
                                        "工程类咨询请工程部当日答复。", "明日早会通报本日咨询情况。"]),
        }, supervisor, now=now - timedelta(days=back - 1, hours=16))
    manager = staff.get("property_manager") or staff["admin"]
    service.record_weekly_review(today - timedelta(days=7), {
        "effect": "本周咨询答复及时，约定时间内答复率较高。",
        "guidance": "租赁类咨询与租赁部协同答复；房产证类问题统一口径，先请示物管部经理。",
    }, manager, now=now - timedelta(days=2))
    event = service.propose_event({
        "organiser": "街道办事处", "title": "社区消防安全咨询日", "place": "小区中心广场",
        "starts_at": now + timedelta(days=5), "ends_at": now + timedelta(days=5, hours=3),
        "support_needed": "桌椅六套、电源一处、保安两名维持秩序",
    }, lead, now=now)
    leadership = staff.get("leadership")
    if leadership is not None:
        service.decide_event(event.id, True, "同意，注意现场秩序。", leadership, now=now)
        service.arrange_support(event.id, "工程部接电源，礼宾部安排保安两名。", manager)
    _repair_desk(staff, now, rng)


WORK_ORDERS = [  # location, fault, reporter, phone, kind
    ("3栋2单元热水房", "热水器不出热水", "张同学", "13800001111", "repair"),
    ("5栋一楼开水房", "开水器漏水", "李同学", "13800002222", "repair"),
    ("3栋2单元热水房", "热水器又不出热水了", "张同学", "13800001111", "complaint"),
    ("食堂后门", "饮水机滤芯该换了", "王老师", "13800003333", "repair"),
    ("7栋洗衣房", "刷卡机不能扣费", "赵同学", "13800004444", "repair"),
]


def _repair_desk(staff: dict, now, rng) -> None:
    """A hot-water project with its manager and two maintenance staff, and a week of calls:
    fixed and closed, in progress, a fresh one, and a repeat complaint (escalated)."""
    from plugins.property_frontdesk.repair import service as repair

    admin = staff["admin"]
    manager = staff.get("project_manager") or admin
    project = repair.create_project(admin, name="南区热水工程", manager_id=manager.id)
    for role in ("maintenance", "engineering_staff"):
        if role in staff:
            repair.set_staff(admin, project.id, staff[role].id)
    for back, (location, fault, reporter, phone, kind) in enumerate(WORK_ORDERS):
        called = now - timedelta(days=len(WORK_ORDERS) - back, hours=rng.randint(1, 6))
        order = repair.create_work_order(admin, project_id=project.id, kind=kind, location=location,
                                         fault=fault, reporter_name=reporter, reporter_phone=phone,
                                         now=called)
        if back < 3:  # done: fixed, the reporter told, closed
            repair.start_work_order(manager, order.id, now=called + timedelta(hours=1))
            repair.fix_work_order(manager, order.id, "更换加热管，已恢复供水",
                                  now=called + timedelta(hours=3))
            repair.tell_result(admin, order.id, "已电话告知报修人", now=called + timedelta(hours=4))
            repair.close_work_order(admin, order.id, now=called + timedelta(hours=5))
        elif back == 3:
            repair.start_work_order(manager, order.id, now=called + timedelta(hours=2))
    for back in range(1, 4):
        repair.log_rounds(manager, project.id, day=(now - timedelta(days=back)).date(),
                          meter_reading=1200 + 35 * (4 - back), patrol_done=True,
                          water_temperature=55 + rng.randint(0, 5), notes="巡查正常", now=now)

"""Demo data: a week of the desk's inquiries in the tenant's own categories and departments.

Everything goes through the service with the moment it happened as ``now``, so numbers,
deadlines, timelines, notifications and the audit trail look as they would after a real week:
answered at once, agreed reply times (some missed: overdue), forwarded, referred, closed and a
few important ones passed up.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta

from core.errors import RuleViolation
from core.extensions import db
from core.inquiries import service

SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
TITLES = ["先生", "女士", "阿姨", "师傅", "老师"]

# Questions and at-once answers per category code (the presets' codes); others fall back to GENERIC
TOPICS: dict[str, list[tuple[str, str]]] = {
    "repair": [("3栋1202卫生间漏水，楼下天花板有水渍", "已登记报修，工程部维修人员今天下午上门查看。"),
               ("厨房下水道堵塞，请安排疏通", "已派单，维修师傅一小时内联系您。"),
               ("楼道灯不亮（5栋2单元8楼）", "已通知工程部今天更换灯具。"),
               ("电梯运行时有异响", "已通知电梯维保单位今天检查。"),
               ("阳台推拉门滑轨坏了", "属户内维修，可预约有偿维修，师傅明早上门。")],
    "fees": [("物业费怎么缴？可以线上交吗", "可在小区公众号“缴费”栏目线上缴纳，也可到客服中心刷卡。"),
             ("这个月水电费比平时高很多", "已帮您调出抄表记录，读数正常，建议检查户内是否有漏水。"),
             ("停车费月卡价格是多少", "地面车位月卡200元，地下车位月卡300元。"),
             ("能开具物业费发票吗", "可以，缴费后凭收据到财务部开具电子发票。")],
    "security": [("晚上小区门口有陌生人徘徊", "已通知安全部加强夜间巡逻。"),
                 ("快递柜附近的监控能调看吗", "需本人携带身份证到安全部登记后调看。"),
                 ("访客车辆怎么登记进小区", "访客车辆在东门岗亭登记，临时停车两小时内免费。")],
    "engineering": [("家里装修需要办什么手续",
                     "请携带装修方案和施工单位资质到客服中心办理装修登记，押金2000元。"),
                    ("空调外机可以装在哪里", "请安装在预留的空调机位，不得占用外立面。"),
                    ("周末可以装修施工吗", "周末和节假日上午9点至12点可进行不产生噪音的施工。")],
    "leasing": [("会所的场地可以租用吗", "可以，请提前三天到会所前台预约。"),
                ("商铺出租的联系人是谁", "租赁部电话 0755-8888 6601，工作日9:00-17:30。")],
    "property_certificate": [("房产证什么时候可以办下来", ""), ("办理房产证需要带什么材料", "")],
    "telecom": [("家里宽带断网了找谁修", "电信报修电话10000，移动10086，已把小区片区经理电话发给您。"),
                ("有线电视没有信号", "广电报修电话96956，我们已帮您登记。")],
    "other": [("小区快递驿站几点关门", "快递驿站营业到晚上9点。"),
              ("楼下有流浪猫，能处理一下吗", "已联系志愿者组织安排救助。"),
              ("业主大会什么时候召开", "计划下月中旬召开，通知会张贴在各单元公告栏。")],
    "which_department": [("头疼发烧挂哪个科", "建议挂发热门诊，在门诊楼一楼东侧。"),
                         ("孩子咳嗽一周了挂什么科", "挂儿科，儿科在门诊楼三楼。")],
    "schedule": [("周六有没有心内科专家门诊", "周六上午有王主任的专家门诊。"),
                 ("皮肤科下午几点开诊", "下午2点开诊。")],
    "lab_results": [("血常规白细胞偏高是什么意思", "可能提示感染，请带报告到开单医生处复诊。"),
                    ("体检报告什么时候能拿", "三个工作日后可在自助机打印。")],
    "new_matter": [("劳动合同纠纷想咨询律师", ""), ("房屋买卖合同违约怎么处理", "")],
    "contract": [("公司合同需要审查，怎么收费", "按件收费，标准合同每份800元起。")],
    "litigation": [("起诉需要准备哪些材料", "身份证明、证据材料和起诉状，律师可协助起草。")],
}
GENERIC = [("想了解{name}方面的办理流程", "已把办理流程和所需材料告诉对方。"),
           ("关于{name}的问题咨询", "已当场答复。"),
           ("{name}相关事项需要跟进", "")]
CHANNEL_WEIGHTS = [("phone", 45), ("walk_in", 35), ("web", 8), ("email", 4), ("hotline", 5), ("letter", 3)]
FOLLOW_UPS = ["已联系业户，说明处理进度。", "已与相关部门确认，约定时间内答复。",
              "业户表示理解，等待处理结果。"]
FINAL_ANSWERS = ["已处理完毕，业户确认满意。", "已按约定时间电话答复，问题已解决。",
                 "维修已完成，业户验收通过。"]
REFERRALS = [("街道办事处", "0755-2233 4455"), ("区房管局产权登记中心", "12345 转 2"),
             ("辖区派出所", "0755-8765 4321")]


def _pick(rng, weighted):
    total = sum(w for _, w in weighted)
    roll = rng.uniform(0, total)
    for value, weight in weighted:
        roll -= weight
        if roll <= 0:
            return value
    return weighted[-1][0]


OPEN_MINUTES = 600  # the desk's day in the demo: 08:30–18:30


def _moment(calendar, day, minutes: int) -> datetime:
    local = datetime.combine(day, time(8, 30), tzinfo=calendar.zone) + timedelta(minutes=minutes)
    return local.astimezone(UTC)


def _minutes_begun(calendar, day, now: datetime) -> int:
    """How many of the day's desk minutes began before ``now``: 0 before opening, all of them
    once the day is over. Every minute counted is strictly before ``now``."""
    elapsed = math.ceil((now - _moment(calendar, day, 0)).total_seconds() / 60)
    return max(0, min(OPEN_MINUTES, elapsed))


def _agreed_time(rng, received: datetime) -> datetime:
    """What a clerk agrees on the phone: later today on the half hour, or tomorrow morning or
    afternoon."""
    zone = service.calendar().zone
    local = received.astimezone(zone)
    later = (local + timedelta(hours=rng.choice([2, 3, 4]))).replace(minute=rng.choice([0, 30]),
                                                                     second=0, microsecond=0)
    if later.hour < 17 and rng.random() < 0.5:
        return later.astimezone(UTC)
    tomorrow = (local + timedelta(days=1)).replace(hour=rng.choice([10, 14, 16]), minute=0, second=0,
                                                   microsecond=0)
    return tomorrow.astimezone(UTC)


def _office_hours(rng, moment: datetime) -> datetime:
    """The moment, moved to the next morning when it falls outside 08:30–18:00."""
    local = moment.astimezone(service.calendar().zone)
    if local.hour < 8 or local.hour >= 18:
        day = local.date() + timedelta(days=1 if local.hour >= 18 else 0)
        local = datetime.combine(day, time(9, rng.randint(0, 59)), tzinfo=local.tzinfo)
    return local.astimezone(UTC)


def populate(tenant, staff: dict, now, rng) -> None:
    """About 15–30 inquiries a day (fewer at weekends) for the last seven days the desk was open,
    up to ``now``."""
    desk = staff.get("desk") or staff["admin"]
    handler = staff.get("supervisor") or desk
    categories = service.categories()
    departments = service.departments()
    calendar = service.calendar()
    chain = service.escalation_chain()
    last_day = calendar.local_date(now)
    if not _minutes_begun(calendar, last_day, now):  # before today's opening: the week ends yesterday
        last_day -= timedelta(days=1)
    for back in range(6, -1, -1):
        day = last_day - timedelta(days=back)
        # today only up to now, so that a demo made at 09:00 still has a morning's inquiries
        begun = _minutes_begun(calendar, day, now)
        count = rng.randint(15, 30) if calendar.is_working_day(day) else rng.randint(6, 12)
        for minute in sorted(rng.sample(range(begun), min(count, begun))):
            _one(rng, desk, handler, _moment(calendar, day, minute), now, categories, departments, chain)


def _allowed(step):
    """Run a step the tenant's rules (an enabled plugin's too) may refuse; refused, the demo
    leaves the inquiry as it was (e.g. a question that waits for a department's approval)."""
    try:
        with db.session.begin_nested():
            return step()
    except RuleViolation:
        return None


def _one(rng, desk, handler, received, now, categories, departments, chain) -> None:
    category = rng.choice(categories) if categories else None
    topics = TOPICS.get(category["code"], []) if category else []
    if not topics:
        name = category["name"] if category else "服务"
        topics = [(q.format(name=name), a) for q, a in GENERIC]
    subject, ready_answer = rng.choice(topics)
    data = {
        "channel": _pick(rng, CHANNEL_WEIGHTS),
        "requester": {"name": rng.choice(SURNAMES) + rng.choice(TITLES),
                      "phone": "1" + rng.choice("3589") + "".join(str(rng.randint(0, 9)) for _ in range(9))},
        "subject": subject, "category": category["code"] if category else None,
        "important": rng.random() < 0.07,
    }
    roll = rng.random()
    if ready_answer and roll < 0.5:
        inquiry = _allowed(lambda: service.create_inquiry({**data, "answer": ready_answer}, desk,
                                                          now=received))
        if inquiry is not None:
            if rng.random() < 0.3:
                service.close(inquiry, desk, survey=_survey(rng),
                              now=min(received + timedelta(minutes=rng.randint(5, 120)), now))
            return
    agreed = _agreed_time(rng, received)
    if rng.random() < 0.8 and agreed <= service.calendar().due_after(received, 1):
        data["agreed_reply_at"] = agreed
    inquiry = service.create_inquiry(data, desk, now=received)
    step = received + timedelta(minutes=rng.randint(10, 90))
    if step >= now:
        return
    fate = rng.random()
    if fate < 0.2 and departments:
        department = rng.choice(departments)
        service.forward(inquiry, department["code"], f"请{department['name']}协助答复：{subject[:20]}", desk,
                        now=step)
        step += timedelta(hours=rng.randint(1, 30))
    elif fate < 0.28:
        to, contact = rng.choice(REFERRALS)
        _allowed(lambda: service.refer(inquiry, to, contact, desk, now=step))
        return
    if inquiry.important and len(chain) > inquiry.escalation_level and rng.random() < 0.5 and step < now:
        service.escalate(inquiry, "请领导关注", handler, now=step)
    # Most are answered in time; the rest are still waiting, some of them past their deadline
    if inquiry.agreed_reply_at is not None:
        answer_at = inquiry.agreed_reply_at - timedelta(minutes=rng.randint(5, 90))
    else:
        answer_at = _office_hours(rng, received + timedelta(hours=rng.randint(2, 30)))
    if rng.random() < 0.8 and max(answer_at, step) < now:
        moment = max(answer_at, step)
        if rng.random() < 0.3:
            service.add_reply(inquiry, rng.choice(FOLLOW_UPS), False, desk, now=moment)
            moment += timedelta(minutes=30)
        answer = rng.choice(FINAL_ANSWERS)
        if moment < now and _allowed(lambda: service.add_reply(inquiry, answer, True, desk, now=moment)):
            if rng.random() < 0.5 and moment + timedelta(hours=1) < now:
                service.close(inquiry, desk, survey=_survey(rng), now=moment + timedelta(hours=1))


def _survey(rng) -> dict:
    """The satisfaction survey taken at closure: mostly content, sometimes declined."""
    if rng.random() < 0.15:
        return {"declined": True}
    return {"score": rng.choice([5, 5, 5, 4, 4, 3, 2]),
            "suggestions": rng.choice(["", "", "希望答复再快一些", "服务态度很好", "电话不好打通"])}

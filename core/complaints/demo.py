"""Demo suggestions and appeals across their lifecycle (some overdue, a repeat, an upheld appeal).

Only for tenants whose policy has the complaint procedure (the school preset switches it off).
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale

from core import policy
from core.complaints import service

GENERIC = {
    "suggestions": [
        ("等候区的座椅太少，高峰时段很多人只能站着等，建议增加座椅。", "增加等候区座椅",
         "服务大厅"),
        ("前台的办事指南字太小，老年人看不清，建议做一版大字的。", "提供大字版办事指南", "前台"),
        ("希望中午也能安排人值班，上班族只能午休时间来办事。", "午间安排值班", "值班安排"),
    ],
    "appeals": [
        ("上周三来咨询时，工作人员态度生硬，没听完就打断我，还让我去别处问。",
         "要求工作人员道歉并改进服务态度", "前台 张丽"),
        ("我三次电话预约都说会回电，一直没有人回复，耽误了我的事情。", "要求说明原因并尽快处理", "客服部"),
        ("收费和当初告知的不一致，多收了费用却没有任何解释。", "退还多收费用并书面说明", "财务部"),
    ],
}

BY_VARIANT = {
    "property": {
        "suggestions": [
            ("小区东门晚上路灯太暗，老人孩子进出不安全，建议增加照明。", "增加东门照明", "公共照明"),
            ("快递柜旁边垃圾桶太满，夏天有异味，建议增加清运次数。", "增加垃圾清运次数", "保洁部"),
            ("电梯里的通知经常过期还贴着，建议及时更新。", "及时更新电梯通知", "客服中心"),
        ],
        "appeals": [
            ("报修卫生间漏水三天了，维修人员一直没有上门，打电话也没人接。", "要求今天上门维修并说明延误原因",
             "工程部"),
            ("保安在门岗对访客态度恶劣，大声呵斥我的家人。", "要求当事保安道歉", "保安部 刘勇"),
            ("物业费账单重复收取了上个月的停车费。", "退还重复收取的停车费", "财务部"),
        ],
    },
    "hospital": {
        "suggestions": [
            ("门诊二楼的指示牌不清楚，找检验科绕了好几圈，建议增加指示标识。", "增加指示标识", "门诊部"),
            ("自助挂号机旁边没有工作人员指导，老人不会操作。", "安排导医在自助机旁协助", "导医中心"),
            ("候诊区的叫号屏声音太小，建议调大。", "调大叫号音量", "候诊区叫号"),
        ],
        "appeals": [
            ("导医台的工作人员给我指错了科室，白白排了一个小时的队。", "要求说明情况并改进", "导医中心 钱芳"),
            ("检查报告说好两天出，一周了还没拿到，打电话问也没有答复。", "尽快出具报告并说明原因", "检验科"),
            ("收费窗口多收了检查费，工作人员说不归她管。", "退还多收费用", "收费处"),
        ],
    },
    "law_firm": {
        "suggestions": [
            ("希望案件进展能每周主动告知一次，不用每次都打电话来问。", "每周告知案件进展", "诉讼部"),
            ("律所停车位太少，来访客户停车困难。", "为来访客户预留车位", "行政部"),
            ("收费明细希望能更细一些，列明每项服务的工时。", "提供工时明细", "收费明细"),
        ],
        "appeals": [
            ("承办律师多次没有按约定时间回电，开庭前也没有和我沟通。", "要求更换承办律师或说明情况",
             "诉讼部 黄律师"),
            ("前台把我的案件材料交给了别人，涉及个人隐私。", "要求说明材料去向并追责", "前台"),
            ("委托合同约定的费用与实际收取不一致。", "退还多收费用并书面说明", "财务部"),
        ],
    },
}

NAMES = ["王建国", "李秀英", "张伟", "刘芳", "陈静", "杨洋", "赵磊", "黄丽"]


def populate(tenant, staff: dict, now, rng) -> None:
    if not (policy.enabled(service.KIND) and policy.enabled(service.REGISTER)):
        return  # the tenant's policy has no suggestion-and-appeal procedure
    with force_locale(tenant.locale or "zh_CN"):
        _populate(tenant, staff, now, rng)


def _populate(tenant, staff: dict, now, rng) -> None:
    texts = BY_VARIANT.get(tenant.variant, GENERIC)
    channels = (policy.params(service.KIND) or {}).get("channels") or ["duty_staff"]
    desk = staff.get("desk") or staff["admin"]
    supervisor = staff.get("supervisor") or desk
    lead = staff.get("manager") or staff["admin"]
    names = rng.sample(NAMES, len(NAMES))

    def at(days_ago: float, hour: int = 10, minute: int | None = None):
        """``hour`` o'clock Beijing time (UTC+8), ``days_ago`` days before now."""
        moment = now - timedelta(days=days_ago)
        minute = rng.randrange(30) if minute is None else minute
        return moment.replace(hour=(hour - 8) % 24, minute=minute, second=0, microsecond=0)

    def register(i: int, kind: str, text, when, handler, **extra):
        content, demand, about = text
        return service.register({
            "kind": kind, "name": names[i % len(names)], "phone": f"139{rng.randrange(10 ** 8):08d}",
            "channel": channels[i % len(channels)], "content": content, "demand": demand,
            "about": about, "handler_id": handler.id, **extra}, desk, now=when)

    def step(days_ago: float, hour: int):
        return min(at(days_ago, hour, 40), now)

    # 1. A suggestion settled on the spot, answered, visited and archived
    s1 = register(0, "suggestion", texts["suggestions"][0], at(16, 9), desk)
    service.acknowledge(s1, desk, now=step(16, 10))
    service.resolve(s1, {"on_the_spot": True, "opinion": s1.content, "reason": "高峰时段人多",
                         "proposal": texts["suggestions"][0][1], "contact": s1.phone,
                         "agreed_action": texts["suggestions"][0][1]}, desk, now=step(16, 11))
    service.reply(s1, {"result_text": "已采纳您的建议，相关部门本周内落实。"}, desk, now=step(16, 12))
    service.follow_up(s1, {"notes": "已落实，电话告知来访者并致谢。", "thanked": True}, desk,
                      now=step(11, 15))
    service.close(s1, desk, now=step(11, 16))

    # 2. A suggestion past its reply deadline (overdue)
    s2 = register(1, "suggestion", texts["suggestions"][1], at(9, 14), desk)
    service.acknowledge(s2, desk, now=step(9, 15))

    # 3. A suggestion answered, its return visit coming due
    s3 = register(2, "suggestion", texts["suggestions"][2], at(3, 10), supervisor)
    service.acknowledge(s3, supervisor, now=step(3, 11))
    service.resolve(s3, {"agreed_action": texts["suggestions"][2][1], "outcome": "adopted"},
                    supervisor, now=step(2, 10))
    service.reply(s3, {"result_text": "经商议，已确定解决方案并安排实施，三个工作日内回访。"}, supervisor,
                  now=step(2, 11))

    # 4. An upheld appeal with a sanction and a corrective action the lead monitors
    a1 = register(3, "appeal", texts["appeals"][0], at(12, 9), desk)
    service.acknowledge(a1, desk, now=step(12, 10))
    service.record_findings(a1, {"findings": "经调查属实：当事人未按规范接待，部门未落实首问负责制。",
                                 "outcome": "upheld", "dereliction": True}, desk, now=step(11, 16))
    service.approve(a1, {"note": "同意处理意见，限期整改。"}, lead, now=step(10, 10))
    corrective_day = service._calendar().local_date(now + timedelta(days=5))
    service.resolve(a1, {"sanction": "当事人书面检讨，扣减当月绩效。",
                         "corrective_action": "部门开展服务规范培训，落实首问负责制。",
                         "corrective_due_at": corrective_day}, desk, now=step(10, 11))
    hq = policy.params(service.HQ)
    if hq is None or (hq.get("hq_phone") or "").strip():
        service.reply(a1, {"result_text": "经调查您反映的情况属实，已对当事人作出处理并限期整改，"
                                          "感谢您的监督。"}, desk, now=step(10, 15))

    # 5. An appeal past its deadline with no findings (the sweep flags it to the lead)
    a2 = register(4, "appeal", texts["appeals"][1], at(8, 11), supervisor)
    service.acknowledge(a2, supervisor, now=step(8, 14))

    # 6. A repeat appeal on the same subject as case 4 (its failure of duty goes to the GM)
    register(5, "appeal", (texts["appeals"][0][0].replace("上周三", "昨天") + "又一次遇到同样的情况。",
                           texts["appeals"][0][1], texts["appeals"][0][2]), at(1, 10), desk)

    # 7. A fresh appeal, just registered
    register(6, "appeal", texts["appeals"][2], min(at(0, 9), now), desk)

"""Demo records for `consultdesk demo`: realistic files of each kind of organisation.

Tenants that keep confidential files (core.record.confidentiality on) get a few records, some
confidential, one archived and one with a break-glass disclosure; the others (the property
preset) get a couple of ordinary records.
"""

from __future__ import annotations

from datetime import timedelta

from core import policy
from core.records import service

SCHOOL = [
    dict(title="初二（3）班 王小雨 个案记录", kind="case_notes", confidentiality="confidential",
         subject_name="王小雨", subject_phone="13800138021", subject_address="实验小区5栋2单元301",
         body="来访原因：期中考试后情绪低落，自述“学不进去、晚上睡不着”。\n"
              "第一次面谈（40分钟）：建立关系，了解学习与家庭情况；父母近期常因成绩争吵。\n"
              "评估：学业压力伴轻度焦虑，无自伤想法。\n计划：每周一次，共四次；教授放松训练。",
         disclose=False),
    dict(title="初一（5）班 李浩然 危机个案", kind="case_notes", confidentiality="confidential",
         subject_name="李浩然", subject_phone="13912345678", subject_id_card="440106201107150032",
         subject_address="广州市天河区天河路88号",
         body="今日午间值班时来访，手臂有划痕，说“有时候不想活了”，已有两周。\n"
              "处理：当即陪同，未让其独处；报告心理咨询室负责人；按制度通知班主任与家长。\n"
              "建议家长带其到市儿童医院心理科就诊（转介）。",
         disclose=True),
    dict(title="团体辅导：人际交往（初二年级）", kind="session_record", confidentiality="confidential",
         subject_name="", body="8名学生参加，主题“学会倾听”。过程：热身、角色扮演、分享。效果良好。",
         archive=True),
    dict(title="心理健康周活动工作总结", kind="work_file", confidentiality="normal",
         body="本学期心理健康周共开展讲座2场、心理电影1场、信箱回信36封。"),
]

LAW_FIRM = [
    dict(title="张某劳动争议案 会见笔录", kind="case_notes", confidentiality="confidential",
         subject_name="张建国", subject_phone="13711112222", subject_email="zhangjg@example.com",
         subject_address="深圳市南山区科技园南路12号",
         body="当事人称2023年3月起被公司拖欠加班费，持有考勤截图与工资条。已告知仲裁时效。",
         archive=True),
    dict(title="刘某离婚纠纷 咨询记录", kind="session_record", confidentiality="confidential",
         subject_name="刘芳", subject_phone="13622223333",
         body="当事人情绪激动，称对方多次威胁“同归于尽”。已建议报警并申请人身安全保护令。",
         disclose=True),
    dict(title="来访咨询登记（本周汇总）", kind="work_file", confidentiality="normal",
         body="本周来访咨询11人次：劳动争议4、婚姻家庭3、合同纠纷2、其他2。"),
]

HOSPITAL = [
    dict(title="导诊台特殊患者协助记录", kind="case_notes", confidentiality="confidential",
         subject_name="陈桂英", subject_phone="13533334444",
         body="老年患者独自就诊，情绪低落，提到“活着没意思”。已陪同至心理科，联系其女儿。",
         disclose=True),
    dict(title="患者来信：关于挂号排队的意见", kind="letter", confidentiality="normal",
         subject_name="赵先生", subject_phone="020-87654321",
         body="建议周一上午增开一个挂号窗口。已转门诊部，回信致谢。", archive=True),
    dict(title="导诊服务月度工作记录", kind="work_file", confidentiality="normal",
         body="本月导诊咨询约3200人次，电话回访210人次，满意度97%。"),
]

PROPERTY = [
    dict(title="业主来信：地下车库照明", kind="letter", confidentiality="normal",
         subject_name="周女士", subject_phone="13866667777", subject_address="华庭花园3栋1单元502",
         body="反映B2层车库照明不足。已转工程部，三日内更换灯具并电话回复业主。"),
    dict(title="客服组日工作记录（周一）", kind="work_file", confidentiality="normal",
         body="值班：李静。来访咨询14件，当场答复11件，转工程部2件、财务部1件。"),
]

RECIPIENTS = {"school": ["班主任", "家长"], "law_firm": ["辖区派出所"], "hospital": ["家属"]}
BY_VARIANT = {"school": SCHOOL, "law_firm": LAW_FIRM, "hospital": HOSPITAL, "property": PROPERTY}


def populate(tenant, staff: dict, now, rng) -> None:
    keeps_confidential = policy.enabled(service.CONFIDENTIALITY)
    specs = BY_VARIANT.get(tenant.variant, SCHOOL if keeps_confidential else PROPERTY)
    if not keeps_confidential:
        specs = [s for s in specs if s["confidentiality"] == "normal"][:2] or PROPERTY
    owner = staff.get("desk") or staff["admin"]
    for age, spec in enumerate(reversed(specs)):
        spec = dict(spec)
        disclose = spec.pop("disclose", False) and policy.enabled(service.BREAK_GLASS)
        archive = spec.pop("archive", False)
        record = service.create_record(spec, owner)
        record.created_at = record.updated_at = now - timedelta(days=age + 1, hours=rng.randint(0, 6))
        if disclose:
            service.disclose(record.id, {
                "type": "break_glass",
                "reason": "存在自伤/伤人风险，按制度在最小范围内告知",
                "recipients": RECIPIENTS.get(tenant.variant, ["家属"]),
                "fields": ["subject_name", "subject_phone"]}, owner)
        if archive:
            service.close_record(record.id, owner)

"""Inquiries (咨询) and the day's ledger (客服前台工作台帐): intake, replies, forwarding,
escalation, referral and the overdue sweep (DOMAIN.md "Core" → "Inquiries and the ledger")."""

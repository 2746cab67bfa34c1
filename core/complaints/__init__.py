"""Suggestions and appeals (意见建议 / 申诉): one form, two procedures, the core.complaint.* rules."""

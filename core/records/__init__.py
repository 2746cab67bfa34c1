"""Records and archives (档案 / 记录): confidentiality, consent, attachments, disclosures, archive."""

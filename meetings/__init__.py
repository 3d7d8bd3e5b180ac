"""Meetings, dialogues and trainings: agendas, invitations, attendance, minutes and materials."""

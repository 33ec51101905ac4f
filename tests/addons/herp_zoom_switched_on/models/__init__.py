from . import calendar_event, res_users

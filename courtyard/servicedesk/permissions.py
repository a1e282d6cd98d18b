"""Service-desk permissions, merged into the access kernel's role registry (courtyard.core.access)."""

VIEW = "servicedesk.view_request"  # see requests in scope, queues, map
HANDLE = "servicedesk.handle_request"  # accept, dispatch, merge, refer, close, bulk actions
FILE_FOR = "servicedesk.file_for_resident"  # file on a resident's behalf / from patrols
CONFIGURE = "servicedesk.configure"  # categories, SLA policies, calendar, agreements, Open311 keys
VENDOR = "servicedesk.vendor_work"  # vendor staff: their own work orders only
STATS = "servicedesk.view_stats"  # key numbers per grid
ORDERS = "servicedesk.manage_orders"  # service menu, orders, demand/resource lists

PERMS = (VIEW, HANDLE, FILE_FOR, CONFIGURE, VENDOR, STATS, ORDERS)

_ALL = set(PERMS) - {VENDOR}
GRANTS = {
    "platform_admin": _ALL,
    "party_secretary": _ALL,
    "community_staff": _ALL,
    "subdistrict_officer": {VIEW, HANDLE, STATS},
    "department_officer": {VIEW, HANDLE},
    "grid_worker": {VIEW, HANDLE, FILE_FOR, STATS},
    "microgrid_worker": {VIEW, HANDLE, FILE_FOR},
    "grid_chief": {VIEW, HANDLE, FILE_FOR, STATS},
    "grid_deputy": {VIEW, HANDLE, FILE_FOR, STATS},
    "building_head": {VIEW, FILE_FOR},
    "digital_helper": {FILE_FOR},
    "committee_member": {VIEW, HANDLE, STATS, ORDERS},
    "supervisory_member": {VIEW, STATS},
    "evaluator": {STATS},
    "vendor": {VENDOR},
    "property_company": {VENDOR},  # the work orders dispatched to its company, nothing else (ORG-8)
}

"""What each combination of roles at one school may see."""

import pytest

from rollbook.schools.models import StaffRole
from rollbook.web.access import Audience, audience_for


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ({StaffRole.ATTENDANCE_LEAD}, Audience.STAFF),
        ({StaffRole.OFFICE}, Audience.STAFF),
        ({StaffRole.TEACHER}, Audience.STAFF),
        ({StaffRole.SENIOR_LEADER}, Audience.STAFF),
        ({StaffRole.LA_OFFICER}, Audience.STAFF),
        ({StaffRole.ADMINISTRATOR}, Audience.STAFF),
        ({StaffRole.GOVERNOR}, Audience.GOVERNOR),
        ({StaffRole.GOVERNOR, StaffRole.PARENT}, Audience.GOVERNOR),
        ({StaffRole.GOVERNOR, StaffRole.TEACHER}, Audience.STAFF),
        ({StaffRole.PARENT}, Audience.PARENT),
        ({StaffRole.PARENT, StaffRole.OFFICE}, Audience.STAFF),
    ],
)
def test_audience_for_roles(roles, expected):
    assert audience_for(roles) is expected

"""Factories for caring enterprises and community organisations."""

from __future__ import annotations

import factory

from partners.models import CommunityOrganisation, Enterprise


class EnterpriseFactory(factory.django.DjangoModelFactory):
    """`EnterpriseFactory(unit=tree.station_a)`; unit is required."""

    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"爱心企业{n}有限公司")
    contact_person = "王经理"
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    address = factory.Sequence(lambda n: f"工业路{n}号")


class CommunityOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityOrganisation

    name = factory.Sequence(lambda n: f"邻里互助会{n}")
    leader = "李会长"
    members = 20
    party_members = 3

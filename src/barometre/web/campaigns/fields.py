"""A JSON column that holds one of the core's file contracts (scores, estimates, change):
read as the typed record, written from it. Nothing in the web walks these files as dicts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import models

from barometre.contracts.base import FileContract
from barometre.contracts.schemas import CONTRACTS, ContractName


class ContractField(models.JSONField):
    """`contract` names the file contract: "scores", "estimates" or "change"."""

    def __init__(self, *args: Any, contract: ContractName = "scores", **kwargs: Any) -> None:
        self.contract_name = contract
        super().__init__(*args, **kwargs)

    @property
    def contract(self) -> type[FileContract]:
        return CONTRACTS[self.contract_name]

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["contract"] = self.contract_name
        return name, path, args, kwargs

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        data = super().from_db_value(value, expression, connection)
        if data is None:
            return None
        return self.contract.load(data, f"{self.model.__name__}.{self.name}")

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, FileContract):
            return value
        return self.contract.load(value, self.name)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, FileContract):
            value = value.to_json()
        return super().get_prep_value(value)

    def validate(self, value: Any, model_instance: Any) -> None:
        if isinstance(value, FileContract):
            value = value.to_json()
        super().validate(value, model_instance)

    def value_to_string(self, obj: Any) -> Any:
        value = self.value_from_object(obj)
        return value.to_json() if isinstance(value, FileContract) else value

"""A path convertor for row ids: digits within the database's integer range, so that
``/people/99999999999999999999`` is a plain 404 instead of an overflow deep in the driver."""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor

ID_MAX = 2**31 - 1


class RowIdConvertor(Convertor[int]):
    regex = "[1-9][0-9]{0,8}"  # up to 999,999,999: always within ID_MAX

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_url_convertor("row_id", RowIdConvertor())

"""The demo's facilities as records: the invented facilities of :mod:`prisonwatch.demo`, with
names and addresses in Belarusian and Russian shaped as a letter needs them. Every address is
invented (the PO box numbers), marked "demo" in the note; the towns and postal codes are those of
the towns named."""

from __future__ import annotations

from sqlalchemy.orm import Session

from prisonwatch.store.facilities import Facilities, FacilityInput

DEMO_NOTE = "Synthetic demo facility: the address is invented."

#: (name as the demo writes it, kind, name_be, name_ru, region, postal code, locality, street)
DEMO_FACILITIES: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    (
        "Penal colony No. 1 (demo), Navapolatsk",
        "penal_colony",
        "Папраўчая калонія № 1 (дэма)",
        "Исправительная колония № 1 (демо)",
        "Viciebsk Region",
        "211440",
        "г. Новополоцк",
        "а/я 1",
    ),
    (
        "Penal colony No. 3 (demo), Viciebsk region",
        "penal_colony",
        "Папраўчая калонія № 3 (дэма)",
        "Исправительная колония № 3 (демо)",
        "Viciebsk Region",
        "211322",
        "пос. Витьба",
        "а/я 3",
    ),
    (
        "Penal colony No. 15 (demo), Mahilioŭ",
        "penal_colony",
        "Папраўчая калонія № 15 (дэма)",
        "Исправительная колония № 15 (демо)",
        "Mahilioŭ Region",
        "212013",
        "г. Могилёв",
        "а/я 15",
    ),
    (
        "Penal colony No. 17 (demo), Shklou",
        "penal_colony",
        "Папраўчая калонія № 17 (дэма)",
        "Исправительная колония № 17 (демо)",
        "Mahilioŭ Region",
        "213004",
        "г. Шклов",
        "а/я 17",
    ),
    (
        "Penal colony No. 4 (demo), Homiel",
        "penal_colony",
        "Папраўчая калонія № 4 (дэма)",
        "Исправительная колония № 4 (демо)",
        "Homiel Region",
        "246035",
        "г. Гомель",
        "а/я 4",
    ),
    (
        "Penal colony No. 22 (demo), Ivatsevichy",
        "penal_colony",
        "Папраўчая калонія № 22 (дэма)",
        "Исправительная колония № 22 (демо)",
        "Brest Region",
        "225295",
        "Ивацевичский р-н",
        "а/я 22",
    ),
    (
        "Prison No. 4 (demo), Mahilioŭ",
        "prison",
        "Турма № 4 (дэма)",
        "Тюрьма № 4 (демо)",
        "Mahilioŭ Region",
        "212011",
        "г. Могилёв",
        "а/я 4",
    ),
    (
        "Prison No. 8 (demo), Zhodzina",
        "prison",
        "Турма № 8 (дэма)",
        "Тюрьма № 8 (демо)",
        "Minsk Region",
        "222160",
        "г. Жодино",
        "а/я 8",
    ),
    (
        "Women's colony No. 4 (demo), Homiel",
        "penal_colony",
        "Жаночая папраўчая калонія № 4 (дэма)",
        "Женская исправительная колония № 4 (демо)",
        "Homiel Region",
        "246035",
        "г. Гомель",
        "а/я 4Ж",
    ),
)


def add_demo_facilities(session: Session, actor: str, context: str | None = None) -> int:
    """Create the demo's facility records (before its cases and events name them)."""
    writer = Facilities(session, actor, context)
    for name, kind, be, ru, region, pc, locality, street in DEMO_FACILITIES:
        writer.add(
            FacilityInput(
                name=name,
                kind=kind,
                name_be=be,
                name_ru=ru,
                region=region,
                postal_code=pc,
                locality=locality,
                street=street,
                note=DEMO_NOTE,
            )
        )
    return len(DEMO_FACILITIES)

"""Our own table of name cases: matches and non-matches, one row per item of issue 3, point 2.

Each row: (item, left, right). ``MATCHES`` must score >= the match threshold;
``NON_MATCHES`` must score below the review threshold; ``REVIEWS`` must land in the review
band (neither a confident match nor dismissed).
"""

from __future__ import annotations

MATCHES: list[tuple[str, str, str]] = [
    # Belarusian, Russian and Ukrainian Cyrillic, across scripts
    ("issue example", "Мікалай Статкевіч", "STATKEVICH Nikolai"),
    ("issue example", "Mikalai Statkevich", "Николай Статкевич"),
    ("issue example", "Мікалай Статкевіч", "Mikalai Statkevich"),
    ("Ukrainian Cyrillic", "Юрій Михайлович Гоцанюк", "Iurii Mykhailovych HOTSANIUK"),
    ("Ukrainian vs Russian", "Юрій Михайлович ГОЦАНЮК", "Юрий Михайлович ГОЦАНЮК"),
    ("Ukrainian vs Russian", "Володимир Володимирович НЄМЦЕВ", "Vladimir Vladimirovich NEMTSEV"),
    # romanisations
    ("BGN/PCGN", "Аляксандр Лукашэнка", "Alyaksandr Lukashenka"),
    ("Belarusian national 2007", "Аляксандр Лукашэнка", "Aliaksandr Lukašenka"),
    ("ICAO passport", "Святлана Ціханоўская", "Sviatlana Tsikhanouskaya"),
    ("ISO 9 / scientific", "Николай Статкевич", "Nikolaj Statkevič"),
    ("Łacinka", "Святлана Ціханоўская", "Sviatłana Cichanoŭskaja"),
    ("Łacinka", "Аляксандр Лукашэнка", "Alaksandr Łukašenka"),
    # other languages' press
    ("German press", "Mikalai Statkevich", "Nikolai Statkewitsch"),
    ("Polish press", "Mikalai Statkevich", "Mikołaj Statkiewicz"),
    ("Polish press", "Владимир Жириновский", "Władimir Żyrinowski"),
    ("Lithuanian press", "Владимир Жириновский", "Vladimir Žirinovskis"),
    ("Swedish press", "Александр Лукашенко", "Aljaksandr LUKASJENKO"),
    ("Swedish press", "Aliaksandr Ryhoravich Lukashenka", "Aljaksandr Ryhoravitj Lukasjenko"),
    ("French press", "Валентина Терешкова", "Valentina Terechkova"),
    # Belarusian vs Russian forms
    ("Belarusian/Russian forms", "Аляксандр Лукашэнка", "Александр Лукашенко"),
    ("Belarusian/Russian forms", "Марыя Калеснікава", "Мария Колесникова"),
    ("Belarusian/Russian forms", "Сяргей Ціханоўскі", "Сергей Тихановский"),
    ("Belarusian/Russian forms", "Мікалай Статкевіч", "Николай Статкевич"),
    ("Belarusian/Russian forms", "Siarhei Tsikhanouski", "Sergei Tikhanovsky"),
    # English vs transliterated given names
    ("English given name", "Aliaksandr Lukashenka", "Alexander Lukashenko"),
    ("English given name", "Мікалай Статкевіч", "Nicholas Statkevich"),
    # word order and "SURNAME, Given"
    ("word order", "Lukashenka Aliaksandr", "Aliaksandr Lukashenka"),
    ("SURNAME, Given", "LUKASHENKA, Aliaksandr", "Aliaksandr Lukashenka"),
    ("SURNAME, Given Patronymic", "Статкевич, Николай Викторович", "Mikalai Statkevich"),
    # patronymic on one side only
    ("patronymic one side", "Сергей Андреевич ДАНИЛЕНКО", "Sergei DANILENKO"),
    ("patronymic one side", "Aliaksandr Ryhoravich Lukashenka", "Alexander Lukashenko"),
    # hyphenated and double surnames
    ("hyphenated surname", "Анна Иванова-Петрова", "Anna Ivanova-Petrova"),
    ("hyphenated vs spaced", "Ivanova-Petrova Anna", "Anna Ivanova Petrova"),
    ("double surname one side", "Анна Иванова-Петрова", "Anna Ivanova Petrova Sergeevna"),
    # ALL-CAPS and extra spaces
    ("ALL-CAPS", "ALIAKSANDR LUKASHENKA", "Aliaksandr Lukashenka"),
    ("extra spaces", "  Aliaksandr    Lukashenka ", "Aliaksandr Lukashenka"),
    # Russian case endings in running text
    ("case ending", "Статкевича Николая", "Николай Статкевич"),
    ("case ending", "Николаю Статкевичу", "Mikalai Statkevich"),
]

REVIEWS: list[tuple[str, str, str]] = [
    # initials: plausible, but a reviewer should look
    ("initials", "A. Lukashenka", "Aliaksandr Lukashenka"),
    ("initials", "Lukashenko A.G.", "Aliaksandr Ryhoravich Lukashenka"),
    # one name part only
    ("surname only", "Lukashenka", "Aliaksandr Lukashenka"),
]

NON_MATCHES: list[tuple[str, str, str]] = [
    ("same given+patronymic", "Фабричный Сергей Юрьевич", "Бидонько Сергей Юрьевич"),
    ("same given name", "Aliaksandr Lukashenka", "Aliaksandr Milinkevich"),
    ("same given name across scripts", "Аляксандр Лукашэнка", "Alexander Milinkevich"),
    ("same surname, other given", "Sergei Tikhanovsky", "Sviatlana Tsikhanouskaya"),
    ("same surname, other given", "Мікалай Статкевіч", "Павел Статкевич"),
    ("same given+patronymic, Latin", "Sergei Andreevich Danilenko", "Sergei Andreevich Pyrkov"),
    ("different people", "Ekaterina Eduardovna Pyrkova", "Lidia Aleksandrovna Basova"),
    ("initial does not fit", "V. Lukashenka", "Aliaksandr Lukashenka Ryhoravich"),
]

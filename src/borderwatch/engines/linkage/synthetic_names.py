"""Names for the synthetic population: per naming tradition, long-tailed, built as people build them.

The first generator drew given and family names uniformly from short fixed lists (96 Arabic, 40
Afghan, 30 Central-African family names), so a larger population meant proportionally more
namesakes: the unrealistic part of the benchmark. Here each naming tradition has its own given
names and its own ways of forming a family name, and every list is drawn with a Zipf-like
(long-tailed) frequency: a few names are very common (Mohammed first), most are rare.

How a family name is formed, per tradition (what a registering clerk writes in the field):

- **Arabic** (Iraq, Syria, Yemen): a *laqab* (tribe or place nisba "al-X-i": al-Jubouri,
  al-Baghdadi; most carry the article) or a Levantine family name (Haddad, Khoury), or the
  patronymic chain (the father's given name, the grandfather's, or both: "Ali Hussein"), the
  usual Iraqi practice where no laqab is used;
- **Kurdish** (Iraq, Syria): a tribe or place name with -i (Barzani, Hawleri), a Syrian Kurdish
  -o name (Temo, Sheikho), or the father's or grandfather's given name; no article;
- **Persian** (Iran): a surname built from a root and a suffix (-i, -zadeh, -pour, -nejad,
  -far, -ian, -vand, -lou: Hosseini, Alizadeh, Rezapour), a place nisba (Tabrizi) or a compound
  (Nikbakht);
- **Afghan** (Dari and Pashto): a Pashtun tribal name (root + -zai or -khel: Ahmadzai,
  Sulaimankhel, or Wardak, Shinwari), a Dari -i name (Hakimi, Kabuli), or the father's given name
  (many Afghans have no family name); given names are often compounds (Abdul Rahim, Ghulam
  Sakhi, Noor Ahmad, Zabihullah, Nasiruddin);
- **Central African** (Cameroon, DR Congo): surnames from real lists and, for the tail, formed
  from Bantu prefixes and stems (Kabongo, Tshibanda, Mulumba); a Congolese post-name sometimes
  follows.

A name part that is a key of `SPELLINGS` (in synthetic.py) is respelt by the noise model; the
rest are written one way (their variation is left to typing errors).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["NAME_MODEL", "NameModel", "NameTradition", "Zipf", "tradition_of"]

Name = tuple[str, ...]  # canonical parts, in written order


class Zipf:
    """Names drawn with weight proportional to 1 / (rank + q)^s (rank 1 = the list's first name).

    q = 0 is Zipf's law; q > 0 (Zipf-Mandelbrot) flattens the head, so that a list of a hundred
    surnames stands in for the thousands a real population has: its most common name holds a
    few per cent, not the tenth that a bare 1/rank over a short list would give it.
    """

    def __init__(self, weighted: Iterable[tuple[Name, float]]) -> None:
        merged: dict[Name, float] = {}
        for name, weight in weighted:
            merged[name] = merged.get(name, 0.0) + weight
        ranked = sorted(merged.items(), key=lambda item: -item[1])  # stable: ties keep order
        self.names: list[Name] = [name for name, _ in ranked]
        total = sum(w for _, w in ranked)
        self.probabilities: list[float] = [w / total for _, w in ranked]
        self._cumulative = list(itertools.accumulate(self.probabilities))

    @classmethod
    def ranked(
        cls, names: Sequence[str | Name], s: float = 1.0, q: float = 0.0, share: float = 1.0
    ) -> Zipf:
        return cls(_ranked(names, s, q, share))

    def draw(self, rng: random.Random) -> Name:
        return rng.choices(self.names, cum_weights=self._cumulative)[0]

    def __len__(self) -> int:
        return len(self.names)


def _as_name(name: str | Name) -> Name:
    return (name,) if isinstance(name, str) else name


def _ranked(
    names: Sequence[str | Name], s: float = 1.0, q: float = 0.0, share: float = 1.0
) -> list[tuple[Name, float]]:
    """(name, weight) with Zipf-Mandelbrot weights over the list's order, summing to `share`."""
    unique = list(dict.fromkeys(_as_name(n) for n in names))
    raw = [1.0 / (i + 1 + q) ** s for i in range(len(unique))]
    total = sum(raw)
    return [(n, share * w / total) for n, w in zip(unique, raw, strict=True)]


def _compounds(
    heads: Sequence[str],
    tails: Sequence[str],
    join: str,
    share: float,
    head_q: float = 0.0,
    tail_q: float = 0.0,
) -> list[tuple[Name, float]]:
    """Every head x tail (glued with `join`, "" = one word, " " = two parts), weights multiplied."""
    out: list[tuple[Name, float]] = []
    for (h,), wh in _ranked(heads, q=head_q):
        for (t,), wt in _ranked(tails, q=tail_q):
            parts: Name = (h + t,) if join == "" else (h, t)
            out.append((parts, share * wh * wt))
    return out


def _nisba(place: str) -> str:
    """The regular nisba of a place: "Baghdad" -> "Baghdadi", "Falluja" -> "Fallujawi"."""
    if place.endswith("i"):
        return place
    if place.endswith("a"):
        return place[:-1] + "awi"
    return place + "i"


# --- Arabic -----------------------------------------------------------------------------------
# Given names, most common first. Parts that are keys of SPELLINGS are respelt by the noise.
ARAB_MALE = [
    "Mohammed", "Ahmed", "Ali", "Hussein", "Hassan", "Omar", "Mahmoud", "Khaled", "Abdullah",
    "Mustafa", "Ibrahim", "Yousef", "Abdulrahman", "Abbas", "Saeed", "Karim", "Jasim", "Kadhim",
    "Haidar", "Mahdi", "Hamza", "Bilal", "Tariq", "Salim", "Nasser", "Jamal", "Adnan", "Walid",
    "Yasser", "Ammar", "Qasim", "Majid", "Rashid", "Faisal", "Saleh", "Sami", "Rami", "Ziad",
    "Fadi", "Bashar", "Ghassan", "Hisham", "Imad", "Marwan", "Nabil", "Talal", "Wael", "Zaid",
    "Osama", "Anas", "Haitham", "Hamid", "Husam", "Ayman", "Amer", "Firas", "Laith", "Mazen",
    "Muhannad", "Raed", "Saif", "Sajjad", "Sattar", "Jabbar", "Kamal", "Karrar", "Murtadha",
    "Nawaf", "Obaida", "Qais", "Riyadh", "Sabah", "Safaa", "Salah", "Samir", "Sufyan", "Taha",
    "Thamer", "Uday", "Wissam", "Yahya", "Younis", "Zuhair", "Abdulkarim", "Abdulaziz",
    "Abdulqader", "Abdulwahab", "Abdulhadi", "Abdulsalam", "Abdulmajid", "Adel", "Akram", "Alaa",
    "Amjad", "Anwar", "Arkan", "Asaad", "Atheer", "Ayad", "Aziz", "Badr", "Basim", "Basil",
    "Dhafer", "Diaa", "Fadhil", "Falah", "Fareed", "Farouk", "Fawzi", "Ghaith", "Hadi", "Hakim",
    "Hameed", "Hatem", "Hazem", "Ihsan", "Issa", "Jaafar", "Jalal", "Jawad", "Khalil", "Louay",
    "Luqman", "Mahir", "Mansour", "Moayad", "Mohsen", "Munir", "Musa", "Nadhim", "Naji",
    "Nizar", "Noureddine", "Nuri", "Qusay", "Radwan", "Rafid", "Raad", "Rabih", "Rafiq",
    "Raheem", "Ramadan", "Sabri", "Sadiq", "Saad", "Samer", "Shaker", "Shadi", "Suhail",
    "Sultan", "Tamer", "Thaer", "Wahid", "Yaqub", "Yazan", "Zakaria", "Muayad", "Mundhir",
]  # fmt: skip
ARAB_FEMALE = [
    "Fatima", "Zainab", "Maryam", "Noor", "Aisha", "Huda", "Sara", "Zahra", "Rania", "Layla",
    "Hana", "Amal", "Iman", "Rasha", "Shaima", "Asmaa", "Duaa", "Ruqaya", "Safa", "Marwa",
    "Samira", "Nadia", "Reem", "Suha", "Dina", "Lina", "Salma", "Yasmin", "Hiba", "Alaa", "Ban",
    "Basma", "Buthaina", "Dalia", "Ghada", "Hadeel", "Hala", "Hanan", "Ibtisam", "Inas",
    "Intisar", "Jamila", "Khadija", "Lama", "Lubna", "Majida", "Manal", "Maha", "Maysa", "Nada",
    "Najwa", "Nawal", "Nisreen", "Rana", "Ruba", "Sahar", "Samar", "Sana", "Shahad", "Sundus",
    "Tamara", "Wafa", "Widad", "Yusra", "Amani", "Aya", "Batoul", "Fadia", "Ghufran", "Hawraa",
    "Rahaf", "Rawan", "Israa", "Zahraa", "Afrah", "Bushra", "Ikhlas", "Kawthar", "Nuha",
]  # fmt: skip
_IQ_TRIBES = [
    "Jubouri", "Dulaimi", "Shammari", "Obaidi", "Tamimi", "Zubaidi", "Khazraji", "Azzawi",
    "Janabi", "Mashhadani", "Karbouli", "Issawi", "Fahdawi", "Rubaie", "Saadi", "Taie", "Lami",
    "Khafaji", "Maliki", "Bayati", "Hashimi", "Musawi", "Hakim", "Jaafari", "Quraishi",
    "Ugaili", "Kaabi", "Asadi", "Jumaili", "Hamdani", "Ansari", "Mayahi", "Sudani", "Shawi",
    "Daraji", "Kinani", "Kubaisi", "Nuaimi", "Mohammadawi", "Bahadli", "Fartousi", "Garawi",
    "Hasnawi", "Husseini", "Ibrahimi", "Marsoumi", "Mutairi", "Qaisi", "Rikabi", "Salihi",
    "Samarrai", "Shibli", "Waeli", "Yasiri", "Zaidi", "Abbasi", "Aboudi", "Bidhani", "Daini",
    "Fayyadh", "Gharawi", "Hamadani", "Jabouri", "Kurdi", "Lahibi", "Mahmoudi", "Mousawi",
    "Naqeeb", "Rawi", "Sabawi", "Saedi", "Tai", "Ubaidi", "Zirjawi", "Attiyah", "Sharifi",
]  # fmt: skip
_IQ_PLACES = [
    "Baghdad", "Mosul", "Basra", "Tikrit", "Anbar", "Falluja", "Ramadi", "Ani", "Hit", "Haditha",
    "Najaf", "Karbala", "Hilla", "Kufa", "Diwaniya", "Amara", "Nasiriya", "Kut", "Kirkuk",
    "Dur", "Baquba", "Khalis", "Karkh", "Adhamiya", "Kadhimiya", "Zubair", "Qurna", "Shatra",
    "Samawa", "Tal Afar", "Sinjar", "Balad", "Dujail", "Hamdaniya", "Rutba", "Qaim", "Suwaira",
    "Mahmudiya", "Khanaqin", "Muqdadiya",
]  # fmt: skip
_SY_TRIBES = [
    "Shammari", "Jubouri", "Aqidi", "Baqqari", "Naimi", "Hadidi", "Anazi", "Mawali", "Taie",
    "Shaiti", "Dulaimi", "Fadli", "Hassani", "Rifai", "Zoubi", "Hariri", "Miqdad", "Masalmeh",
    "Bushaabani", "Ougaidi", "Sabkhawi", "Bakkara", "Khatouni", "Shaddadi", "Jabbouri",
    "Hamidi", "Bouchamel", "Afadla", "Wildeh", "Shuwaikh",
]  # fmt: skip
_SY_PLACES = [
    "Aleppo:Halabi", "Homs:Homsi", "Hama:Hamawi", "Damascus:Dimashqi", "Idlib:Idlibi",
    "Deir:Deiri", "Raqqa:Raqqawi", "Daraa:Darawi", "Latakia:Ladhiqi", "Tartus:Tartousi",
    "Manbij:Manbiji", "Bukamal:Bukamali", "Mayadin:Mayadini", "Maarra:Maarri", "Jisr:Jisri",
    "Saraqib:Saraqibi", "Douma:Doumani", "Qalamoun:Qalamouni", "Zabadani:Zabadani",
    "Yabroud:Yabroudi", "Nabk:Nabki", "Sham:Shami", "Hauran:Hourani", "Golan:Jawlani",
    "Salamiya:Salamouni", "Suwayda:Suwaydawi", "Azaz:Azazi", "Bab:Babi", "Tadmur:Tadmuri",
    "Qusayr:Qusayri",
]  # fmt: skip
_LEVANT_FAMILIES = [
    "Haddad", "Najjar", "Khoury", "Sabbagh", "Hallak", "Khayat", "Dabbagh", "Attar", "Bitar",
    "Kassab", "Halwani", "Jazzar", "Nahhas", "Saffar", "Tahhan", "Sayegh", "Khatib", "Imam",
    "Mufti", "Qadi", "Sheikh", "Darwish", "Hamdan", "Mansour", "Khalil", "Saleh", "Ghanem",
    "Habib", "Issa", "Jaber", "Obeid", "Barakat", "Kanaan", "Murad", "Nassar", "Salameh",
    "Tawil", "Zaher", "Farah", "Ghazal", "Hijazi", "Idris", "Jamil", "Asaad", "Daher",
    "Maalouf", "Fakhoury", "Qadri", "Masri", "Turk", "Arnaout", "Sharbaji", "Kayyali", "Jabri",
    "Atassi", "Azm", "Kuzbari", "Mardam", "Barazi", "Hamsho", "Sukkar", "Shehadeh", "Abboud",
    "Aswad", "Akhras", "Abyad", "Hamoud", "Othman", "Suleiman", "Awad", "Bakr", "Yassin",
    "Rahman", "Nasser", "Wahab", "Latif", "Chami", "Lahham", "Tamer", "Kabbani", "Sibai",
    "Zein", "Shaar", "Rayes", "Hilal", "Qassem", "Mustafa", "Hajj", "Bakour", "Dibo",
]  # fmt: skip
_YE_TRIBES = [
    "Hashidi", "Bakili", "Awlaki", "Ansi", "Hamdani", "Madhhiji", "Khawlani", "Arhabi",
    "Sharabi", "Hubaishi", "Wasabi", "Maqtari", "Zindani", "Ahmar", "Kibsi", "Wazir",
    "Mutawakkil", "Hamdi", "Iryani", "Ghashmi", "Amri", "Junaid", "Kathiri", "Qaiti", "Saqqaf",
    "Attas", "Baharoon", "Bafadhl", "Shamiri", "Dhahiri", "Yafai", "Aulaqi", "Fadhli", "Aqil",
]  # fmt: skip
_YE_PLACES = [
    "Sanaa:Sanaani", "Aden:Adeni", "Taiz:Taizi", "Hadramawt:Hadrami", "Ibb:Ibbi",
    "Dhamar:Dhamari", "Marib:Maribi", "Baida:Baidani", "Lahj:Lahji", "Abyan:Abyani",
    "Shabwa:Shabwani", "Mahra:Mahri", "Zabid:Zabidi", "Tihama:Tihami", "Hajja:Hajjawi",
    "Saada:Saadawi", "Amran:Amrani", "Mukalla:Mukallawi",
]  # fmt: skip


def _places(places: Sequence[str]) -> list[str]:
    """Nisbas of places given as "Place" (regular: Baghdad -> Baghdadi) or "Place:Nisba"."""
    return [p.split(":")[1] if ":" in p else _nisba(p.replace(" ", "")) for p in places]


# --- Kurdish ----------------------------------------------------------------------------------
KURD_MALE = [
    "Mohammed", "Ahmed", "Ali", "Omar", "Karwan", "Azad", "Mustafa", "Dilshad", "Hiwa",
    "Rebwar", "Ibrahim", "Shwan", "Sherko", "Hemin", "Aram", "Abdullah", "Bakhtiyar", "Dara",
    "Goran", "Hawre", "Kawa", "Rekan", "Sardar", "Soran", "Zana", "Barzan", "Diyar", "Hoshyar",
    "Hejar", "Karzan", "Nechirvan", "Peshraw", "Rawand", "Rebin", "Rizgar", "Sakar", "Shorsh",
    "Siamand", "Sirwan", "Zirak", "Alan", "Awat", "Bahoz", "Botan", "Chiya", "Darbaz",
    "Dlovan", "Hardi", "Havar", "Hunar", "Kamaran", "Karim", "Khaled", "Mariwan", "Nawzad",
    "Omed", "Pishtiwan", "Rashid", "Rebaz", "Ranj", "Saman", "Sarbast", "Shakar", "Shalaw",
    "Shaho", "Tahsin", "Twana", "Wirya", "Yad", "Zhilwan", "Zryan", "Hussein", "Hassan",
    "Yousef", "Mahmoud", "Jalal", "Kamal", "Osman", "Salah", "Jamal", "Qadir", "Rasul", "Aziz",
    "Saleh", "Idris", "Masoud", "Nihad", "Helmet", "Halo", "Dana", "Bestun", "Hogr", "Ari",
    "Baran", "Delshad", "Fuad", "Ismail", "Kosrat", "Latif", "Nazim", "Sabir", "Shirwan",
]  # fmt: skip
KURD_FEMALE = [
    "Shilan", "Fatima", "Shirin", "Nasrin", "Avin", "Berivan", "Dilan", "Jiyan", "Rojin",
    "Sozan", "Bahar", "Gulistan", "Hero", "Kazhal", "Lana", "Nazdar", "Nishtiman", "Rezan",
    "Sarwa", "Shna", "Srwa", "Tara", "Zhino", "Dilnya", "Evin", "Hawzhin", "Helin", "Naz",
    "Roza", "Shadan", "Zara", "Aisha", "Maryam", "Zainab", "Khadija", "Amina", "Bayan", "Chnar",
    "Darya", "Gulala", "Hana", "Kurdistan", "Lawen", "Media", "Niga", "Payman", "Runak",
    "Sazan", "Shamal", "Viyan",
]  # fmt: skip
_KURD_TRIBES = [
    "Barzani", "Talabani", "Jaff", "Zebari", "Doski", "Herki", "Sorchi", "Mizuri", "Bradosti",
    "Goyi", "Pishdari", "Hamawandi", "Shwani", "Barwari", "Rekani", "Gerdi", "Dizayi",
    "Babani", "Mukri", "Shikak", "Milli", "Hawrami", "Zangana", "Kakayi", "Bilbas", "Manguri",
    "Khoshnaw", "Balaki", "Artushi", "Sindi", "Slevani", "Nerwayi", "Mamash", "Pirani",
    "Gulli", "Hasanani", "Mamandi", "Shexani", "Omerkhani", "Kurdo", "Jafi", "Kalhor",
    "Sanjabi", "Feyli", "Lak", "Shabak", "Sheikhani", "Biradosti", "Tayi", "Garawi",
]  # fmt: skip
_KURD_PLACES = [
    "Erbil:Hawleri", "Sulaymaniyah:Slemani", "Duhok:Duhoki", "Kirkuk:Kirkuki", "Zakho:Zakhoyi",
    "Amedi:Amedi", "Ranya:Ranyayi", "Koya:Koyi", "Akre:Akreyi", "Shingal:Shingali",
    "Qamishli:Qamishloyi", "Afrin:Efrini", "Kobani:Kobani", "Halabja:Halabjayi",
    "Penjwen:Penjweni", "Qaladiza:Qaladizayi", "Shaqlawa:Shaqlawayi", "Khanaqin:Khanaqini",
    "Kalar:Kalari", "Amuda:Amudi", "Chamchamal:Chamchamali", "Darbandikhan:Darbandikhani",
    "Rawanduz:Rawanduzi", "Mergasor:Mergasori", "Bamarni:Bamarni", "Soran:Sorani",
    "Sidakan:Sidakani", "Makhmur:Makhmuri", "Derik:Deriki", "Amed:Amedi",
]  # fmt: skip

# Syrian Kurdish family names in -o, a short form of a forebear's given name (Temo, Ibo, Sheikho)
_KURD_O = [
    "Temo", "Ibo", "Sheikho", "Hamo", "Omo", "Bakro", "Mamo", "Haco", "Ismo", "Hajo", "Khalo",
    "Sido", "Salo", "Qasso", "Alo", "Hemo", "Hesso", "Miro", "Ehmo", "Silo", "Biro", "Osso",
    "Cuko", "Reshko", "Bozo", "Derwo", "Kejo", "Mihemo", "Rasho", "Smo", "Zeko", "Jemo",
    "Khelo", "Nebo", "Fero", "Seydo", "Beko", "Elko", "Hesko", "Tello",
]  # fmt: skip

# --- Persian ----------------------------------------------------------------------------------
PERSIAN_MALE = [
    "Mohammad", "Ali", "Hossein", "Reza", "Mehdi", "Amir", "Hamid", "Mohsen", "Majid", "Saeed",
    "Morteza", "Hassan", "Javad", "Ahmad", "Mahmoud", "Abbas", "Mostafa", "Ebrahim", "Davood",
    "Alireza", "Mohammadreza", "Behrouz", "Babak", "Dariush", "Farhad", "Kourosh", "Hamed",
    "Vahid", "Masoud", "Omid", "Peyman", "Pouya", "Arash", "Amin", "Mojtaba", "Milad", "Navid",
    "Sina", "Behnam", "Kamran", "Siavash", "Shahram", "Afshin", "Gholamreza", "Hamidreza",
    "Amirhossein", "Mohammadali", "Abolfazl", "Yousef", "Esmaeil", "Jafar", "Kazem", "Nasser",
    "Rasoul", "Saman", "Soheil", "Ramin", "Hooman", "Keyvan", "Mazyar", "Nima", "Parsa",
    "Pejman", "Sasan", "Shahin", "Yaser", "Ehsan", "Hadi", "Iman", "Karim", "Mehran", "Meysam",
    "Mansour", "Bahram", "Bijan", "Jamshid", "Houshang", "Fereydoun", "Khosrow", "Rostam",
    "Sohrab", "Manouchehr", "Aref", "Erfan", "Farshid", "Hesam", "Kaveh", "Mehrdad", "Payam",
]  # fmt: skip
PERSIAN_FEMALE = [
    "Fatemeh", "Zahra", "Maryam", "Masoumeh", "Zeinab", "Narges", "Leila", "Shirin", "Mahsa",
    "Parisa", "Sara", "Nazanin", "Elham", "Somayeh", "Marzieh", "Mahnaz", "Parvaneh", "Roya",
    "Samira", "Azadeh", "Fereshteh", "Golnaz", "Mina", "Neda", "Niloufar", "Pegah", "Raheleh",
    "Sahar", "Shiva", "Soheila", "Tahereh", "Yasaman", "Ziba", "Atefeh", "Akram", "Ashraf",
    "Behnaz", "Farzaneh", "Hoda", "Ladan", "Mehri", "Mitra", "Negar", "Shabnam", "Simin",
    "Taraneh", "Zohreh", "Forough", "Haleh", "Kimia",
]  # fmt: skip
# surname roots (most common first) with their -i form where it is not root + "i"
_PERSIAN_ROOTS = [
    "Mohammad", "Ahmad", "Hossein", "Reza:Rezaei", "Ali:Alavi", "Karim", "Rahim", "Morad",
    "Jafar", "Kazem", "Ghasem", "Sadegh", "Hashem", "Rahman", "Amir", "Heidar", "Abbas:Abbasi",
    "Akbar", "Asghar", "Taghi:Taghavi", "Naghi:Naghavi", "Mahmoud", "Hassan", "Mousa:Mousavi",
    "Ebrahim", "Esmaeil", "Yousef", "Nour", "Zare:Zarei", "Sharif", "Habib", "Aziz", "Najaf",
    "Bagher", "Hadi:Hadavi", "Mehdi:Mahdavi", "Safar", "Ramezan", "Ghorban", "Khodadad",
    "Soltan", "Bahram", "Jamshid", "Rostam", "Kamal", "Salehi:Salehi", "Nasir", "Fazel",
    "Rasoul", "Mansour", "Asadollah:Asadi", "Shokr", "Yazdan", "Darvish", "Golzar",
    "Eskandar", "Rajab", "Ghaffar", "Ansar", "Mirza:Mirzaei",
]  # fmt: skip
_PERSIAN_SUFFIXES = ["i", "zadeh", "pour", "nejad", "far", "ian", "vand", "lou"]
_PERSIAN_PLACES = [
    "Tehran:Tehrani", "Shiraz:Shirazi", "Esfahan:Esfahani", "Tabriz:Tabrizi",
    "Mashhad:Mashhadi", "Kerman:Kermani", "Yazd:Yazdi", "Ghazvin:Ghazvini", "Hamedan:Hamedani",
    "Kashan:Kashani", "Rasht:Rashti", "Zanjan:Zanjani", "Ardabil:Ardabili",
    "Khorasan:Khorasani", "Gilan:Gilani", "Mazandaran:Mazandarani", "Kordestan:Kordestani",
    "Ahvaz:Ahvazi", "Qom:Qomi", "Sabzevar:Sabzevari", "Neyshabur:Neyshaburi", "Semnan:Semnani",
    "Lorestan:Lorestani", "Kermanshah:Kermanshahi", "Shushtar:Shushtari", "Dezful:Dezfuli",
    "Bushehr:Bushehri", "Jahrom:Jahromi", "Lar:Lari", "Birjand:Birjandi", "Sistan:Sistani",
    "Golpayegan:Golpayegani", "Arak:Araki", "Urmia:Urmiai", "Sanandaj:Sanandaji",
]  # fmt: skip
_PERSIAN_HEADS = ["Nik", "Khosh", "Pak", "Dast", "Mehr", "Shad", "Kam", "Rast", "Javan", "Ghaem"]
_PERSIAN_TAILS = ["bakht", "nam", "zad", "del", "gohar", "ravesh", "niya", "kar", "manesh", "doust"]

# --- Afghan (Dari and Pashto) -----------------------------------------------------------------
AF_MALE_SIMPLE = [
    "Mohammad", "Ahmad", "Mirwais", "Najib", "Hamid", "Jawad", "Karim", "Rahim", "Sayed",
    "Wahid", "Farid", "Habib", "Nasir", "Omid", "Qais", "Shafiq", "Yama", "Bashir", "Dawood",
    "Faisal", "Javed", "Ismail", "Hamed", "Masood", "Elyas", "Haroon", "Idrees", "Jamshid",
    "Khalid", "Mansoor", "Naveed", "Rafi", "Sadiq", "Shakib", "Tamim", "Waheed", "Yasin",
    "Zaher", "Ajmal", "Bilal", "Fawad", "Hashmat", "Ibrahim", "Jalil", "Kabir", "Lutfullah",
    "Mujeeb", "Nabi", "Rashid", "Shoaib", "Sohail", "Wali", "Yousuf", "Zalmai", "Ali", "Hussain",
]  # fmt: skip
_AF_ABDUL = [
    "Rahim", "Karim", "Wahab", "Ghafoor", "Hadi", "Basir", "Qadir", "Jabbar", "Sattar",
    "Rashid", "Latif", "Majid", "Hakim", "Samad", "Wahid", "Rauf", "Malik", "Baqi", "Hai",
    "Khaliq", "Nasir", "Rahman", "Ahad", "Qayum", "Shakoor", "Matin", "Wakil", "Bari", "Salam",
]  # fmt: skip
_AF_ULLAH = [
    "Zabih", "Hekmat", "Rahmat", "Ezat", "Sana", "Nasr", "Sami", "Habib", "Amin", "Hamd",
    "Asad", "Saif", "Najib", "Rafi", "Obaid", "Inayat", "Ihsan", "Fazl", "Karam", "Qudrat",
    "Naqib", "Shafi", "Atta", "Khair", "Aman", "Zia", "Hayat", "Kalim", "Mati", "Rooh",
]  # fmt: skip
_AF_UDDIN = ["Nasir", "Jalal", "Shams", "Salah", "Kamal", "Jamal", "Ala", "Moin", "Nizam",
             "Sharaf", "Fakhr", "Qutb", "Najm", "Zia", "Burhan"]  # fmt: skip
_AF_FIRST = ["Ghulam", "Mohammad", "Noor", "Gul", "Sayed", "Haji", "Shah", "Mir"]
_AF_SECOND = [
    "Ahmad", "Sakhi", "Haidar", "Rasul", "Nabi", "Faruq", "Hazrat", "Sarwar", "Jilani",
    "Dastagir", "Mustafa", "Ali", "Hussain", "Qadir", "Yousuf", "Nasim", "Hanif", "Rafiq",
    "Asif", "Zaher", "Daud", "Sharif", "Aref", "Wali", "Agha", "Rahman", "Khan", "Jan",
    "Akbar", "Alam", "Zaman", "Omar",
]  # fmt: skip
AF_FEMALE = [
    "Fatima", "Zahra", "Mariam", "Parwana", "Shabnam", "Nargis", "Roya", "Sima", "Farzana",
    "Laila", "Mursal", "Nilofar", "Freshta", "Hasina", "Khadija", "Malalai", "Marzia",
    "Masooma", "Mina", "Najiba", "Nazia", "Palwasha", "Rahima", "Sakina", "Shakila", "Shukria",
    "Soraya", "Storai", "Tahmina", "Wahida", "Zarghona", "Zarmina", "Gulalai", "Gulnaz",
    "Bibi Gul", "Fariba", "Hamida", "Homa", "Karima", "Latifa", "Mahbooba", "Nafisa", "Nasima",
    "Rabia", "Sadia", "Sharifa", "Shirin Gul", "Torpekai", "Wazhma", "Zakia",
]  # fmt: skip
_AF_ZAI_ROOTS = [
    "Ahmad", "Yousaf", "Popal", "Barak", "Aliko", "Ishaq", "Nur", "Achak", "Stanek",
    "Mohammad", "Zaz", "Ali", "Utman", "Musa", "Daulat", "Hassan", "Malik", "Ibrahim", "Jalal",
    "Mando", "Sultan", "Khwaja", "Omar", "Babak", "Shah", "Isa", "Kamal", "Mama", "Zakha",
    "Sulaiman", "Hotak", "Khogyani", "Tani", "Mangal", "Akbar", "Nasir", "Daud", "Karim",
]  # fmt: skip
_AF_PASHTUN = [
    "Wardak", "Mangal", "Kakar", "Zadran", "Ghilzai", "Durrani", "Safi", "Shinwari", "Mohmand",
    "Afridi", "Niazi", "Lodi", "Khostai", "Tanai", "Jaji", "Waziri", "Khattak", "Hotak",
    "Tarakai", "Kharoti", "Andar", "Taraki", "Karzai", "Sahak", "Nasher", "Samsor", "Sabari",
    "Muqbil", "Totakhil", "Ludin", "Zakhilwal", "Arghandiwal", "Paktiawal", "Zurmati",
]  # fmt: skip
_AF_DARI_ROOTS = [
    "Ahmad", "Hakim", "Karim", "Rahim", "Sultan", "Hashim", "Haidar", "Mohammad", "Noor",
    "Jafar", "Hussain", "Sharif", "Amir", "Aziz", "Habib", "Akbar", "Faiz", "Jawad",
    "Mansoor", "Nazar", "Omar", "Rasul", "Samad", "Taher", "Qader", "Sadiq", "Rahman", "Salim",
    "Wahid", "Yaqub", "Zaki", "Bashir", "Nasir", "Latif", "Majid", "Hamid", "Rashid", "Saeed",
    "Ghafoor", "Sediq", "Azim", "Mohseni", "Rezai", "Sadat", "Hussaini", "Jalali", "Niazi",
]  # fmt: skip
_AF_PLACES = [
    "Kabul:Kabuli", "Herat:Herawi", "Balkh:Balkhi", "Panjshir:Panjshiri",
    "Kandahar:Kandahari", "Ghazni:Ghaznawi", "Logar:Logari", "Parwan:Parwani",
    "Badakhshan:Badakhshi", "Baghlan:Baghlani", "Kunduz:Kunduzi", "Jaghori:Jaghori",
    "Behsud:Behsudi", "Samangan:Samangani", "Faryab:Faryabi", "Jowzjan:Jowzjani",
    "Nangarhar:Nangarhari", "Helmand:Helmandi", "Farah:Farahi", "Ghor:Ghori",
    "Bamiyan:Bamiani", "Kapisa:Kapisawi", "Takhar:Takhari", "Laghman:Laghmani",
    "Kunar:Kunari", "Nuristan:Nuristani", "Uruzgan:Uruzgani", "Zabul:Zabuli",
    "Badghis:Badghisi", "Sarepul:Sarpuli", "Maidan:Maidani", "Mazar:Mazari",
    "Andkhoy:Andkhoyi", "Daikundi:Daikundi", "Malistan:Malistani", "Nahrin:Nahrini",
]  # fmt: skip

# --- Central African (Cameroon, DR Congo) -----------------------------------------------------
CA_MALE = [
    "Jean", "Emmanuel", "Joseph", "Patrick", "Pierre", "Christian", "Eric", "Serge", "Blaise",
    "Didier", "Fabrice", "Herve", "Junior", "Landry", "Olivier", "Thierry", "Yannick", "Arnaud",
    "Paul", "Francois", "Jacques", "Michel", "Alain", "Andre", "Bernard", "Cedric", "Daniel",
    "David", "Dieudonne", "Fiston", "Franck", "Gael", "Gerard", "Guy", "Hugues", "Innocent",
    "Jonathan", "Joel", "Justin", "Kevin", "Laurent", "Marc", "Martin", "Moise", "Nicolas",
    "Parfait", "Pascal", "Prince", "Richard", "Roger", "Samuel", "Steve", "Stephane",
    "Sylvain", "Tresor", "Valentin", "Vincent", "Glodi", "Merveil", "Exauce", "Aime", "Bienvenu",
    "Christophe", "Elie", "Felix", "Germain", "Ibrahim", "Josue", "Lionel", "Rodrigue",
]  # fmt: skip
CA_FEMALE = [
    "Marie", "Grace", "Esther", "Florence", "Josiane", "Nadege", "Prisca", "Sandrine",
    "Vanessa", "Christelle", "Aline", "Annie", "Brigitte", "Carine", "Chantal", "Claudine",
    "Diane", "Elodie", "Estelle", "Gisele", "Helene", "Irene", "Jeanne", "Judith", "Laure",
    "Linda", "Mireille", "Nathalie", "Odette", "Patience", "Rachel", "Rose", "Ruth", "Sarah",
    "Solange", "Suzanne", "Therese", "Merveille", "Divine", "Gloria", "Benedicte", "Dorcas",
]  # fmt: skip
_CM_FAMILIES = [
    "Mbarga", "Ngono", "Fotso", "Kamga", "Tchoupo", "Nkongho", "Mballa", "Eto", "Atangana",
    "Essomba", "Fouda", "Ndongo", "Owona", "Tabi", "Abena", "Ayissi", "Bella", "Ekane",
    "Onana", "Mvondo", "Abega", "Ebode", "Nkodo", "Bekono", "Ondoa", "Zang", "Mekongo", "Kamdem",
    "Nana", "Tchinda", "Wamba", "Djoumessi", "Tchouta", "Nguemo", "Kengne", "Simo", "Tagne",
    "Fopa", "Nkwenti", "Ngwa", "Tanyi", "Ashu", "Ayuk", "Enow", "Ebai", "Tambe", "Mbah",
    "Fon", "Che", "Neba", "Ngu", "Awah", "Bih", "Nfor", "Ndi", "Moukoko", "Ekwalla", "Din",
    "Epee", "Ngando",
]  # fmt: skip
_CD_FAMILIES = [
    "Kalala", "Mukendi", "Tshibanda", "Ilunga", "Kabongo", "Lumumba", "Mutombo", "Nzeza",
    "Kasongo", "Mbuyi", "Tshisekedi", "Kabila", "Mulumba", "Ngoy", "Kabeya", "Banza", "Kapinga",
    "Mwamba", "Kazadi", "Lukusa", "Tshimanga", "Ntumba", "Mpoyi", "Kalonji", "Muteba",
    "Ngalula", "Mbombo", "Kanku", "Tshilombo", "Lusamba", "Makiese", "Nsimba", "Lukeni",
    "Mabiala", "Matondo", "Nkanga", "Mavungu", "Bakambu", "Bolingo", "Bokele", "Mokonzi",
    "Likonga", "Mbala", "Kiala", "Ndombe", "Kimpiatu", "Luzolo", "Makengo", "Nlandu", "Vangu",
]  # fmt: skip
_BANTU_PREFIXES = ["Ka", "Mu", "Tshi", "Ki", "Lu", "Ma", "Mbu", "Nku", "Ngo", "Ba", "Bo", "Mwa",
                   "Nse", "Li", "Ilu"]  # fmt: skip
_BANTU_STEMS = ["banda", "longo", "lenga", "nda", "mba", "kenda", "yembe", "sanga", "kunda",
                "bongo", "mpanga", "lumba", "tombo", "sele", "kamba", "langa", "nzambi", "bwe",
                "yamba", "ndele", "kusu", "pemba", "tanda", "wela", "ngela", "samba", "zola",
                "kuta", "zala", "mbote"]  # fmt: skip


@dataclass(frozen=True)
class NameTradition:
    """Given names by sex, and the ways a family name is formed with their shares."""

    code: str
    male: Zipf
    female: Zipf
    # (kind, share): kinds are a Zipf of family names, "father" (the father's given name),
    # "grandfather", "father+grandfather" (the patronymic chain); laqab kinds may carry the
    # Arabic article at their own rate
    family: tuple[tuple[Zipf | str, float, float], ...]  # (names or chain kind, share, article)
    postname: Zipf | None = None  # a second family part (Congolese post-name)
    postname_rate: float = 0.0

    def given(self, rng: random.Random, sex: str) -> Name:
        return (self.male if sex == "M" else self.female).draw(rng)

    def family_name(self, rng: random.Random) -> tuple[Name, bool]:
        """A family name (canonical parts) and whether it carries the article."""
        kinds = self.family
        chosen = rng.choices(kinds, weights=[share for _, share, _ in kinds])[0]
        source, _, article = chosen
        if isinstance(source, Zipf):
            parts = source.draw(rng)
        else:
            father = self.male.draw(rng)
            grandfather = self.male.draw(rng)
            parts = {
                "father": father,
                "grandfather": grandfather,
                "father+grandfather": father + grandfather,
            }[source]
        if self.postname is not None and rng.random() < self.postname_rate:
            parts = parts + self.postname.draw(rng)
        return parts, article > 0 and rng.random() < article


@dataclass(frozen=True)
class NameModel:
    """Each nationality's naming traditions with their shares (the population's make-up)."""

    traditions: dict[str, tuple[tuple[NameTradition, float], ...]]

    def tradition(self, rng: random.Random, nationality: str) -> NameTradition:
        options = self.traditions[nationality]
        return rng.choices([t for t, _ in options], weights=[w for _, w in options])[0]


# How steep each kind of list is: (s, q) of `Zipf`. Given names keep a steep head (about one
# Arab boy in six is named Mohammed); female and Central-African given names are more varied;
# surname lists are flattened to a most common name of 1-4 %.
MALE = {"s": 1.0, "q": 0.0}
MALE_MIXED = {"s": 1.0, "q": 1.0}  # Kurdish, Persian: Mohammed common, but less dominant
FEMALE = {"s": 1.0, "q": 3.0}
SURNAME = {"s": 1.0, "q": 10.0}


def _arabic(code: str, laqab: Sequence[str], levant: float, nisba_article: float) -> NameTradition:
    return NameTradition(
        code=code,
        male=Zipf.ranked(ARAB_MALE, **MALE),
        female=Zipf.ranked(ARAB_FEMALE, **FEMALE),
        family=(
            (Zipf.ranked(laqab, **SURNAME), 0.45 - levant, nisba_article),
            (Zipf.ranked(_LEVANT_FAMILIES, **SURNAME), levant, 0.15),
            ("grandfather", 0.25, 0.0),
            ("father", 0.15, 0.0),
            ("father+grandfather", 0.15, 0.0),
        ),
    )


def _interleave(*lists: Sequence[str]) -> list[str]:
    """Lists merged rank by rank, so that each list's common names stay common."""
    out: list[str] = []
    for group in itertools.zip_longest(*lists):
        out.extend(n for n in group if n)
    return out


def _persian_surnames() -> list[tuple[Name, float]]:
    """Root x suffix (a root's weight times its suffix's: Hosseini common, Ghaffarlou rare),
    place nisbas and compounds."""
    roots = [r.split(":") for r in _PERSIAN_ROOTS]
    i_form = {r[0]: r[1] if len(r) > 1 else r[0] + "i" for r in roots}
    out: list[tuple[Name, float]] = []
    for (root,), w_root in _ranked([r[0] for r in roots], **SURNAME):
        for (suffix,), w_suffix in _ranked(_PERSIAN_SUFFIXES, s=1.3):
            word = i_form[root] if suffix == "i" else root + suffix
            out.append(((word,), 0.75 * w_root * w_suffix))
    out += _ranked(_places(_PERSIAN_PLACES), **SURNAME, share=0.18)
    out += _compounds(_PERSIAN_HEADS, _PERSIAN_TAILS, "", 0.07, head_q=3, tail_q=3)
    return out


def _build() -> NameModel:
    iq_arab = _arabic("arabic-iq", _interleave(_IQ_TRIBES, _places(_IQ_PLACES)), 0.05, 0.75)
    sy_arab = _arabic(
        "arabic-sy", _interleave(_places(_SY_PLACES), _SY_TRIBES, _places(_IQ_PLACES)[:10]),
        0.25, 0.75,
    )  # fmt: skip
    ye_arab = _arabic("arabic-ye", _interleave(_YE_TRIBES, _places(_YE_PLACES)), 0.0, 0.75)
    kurdish = NameTradition(
        code="kurdish",
        male=Zipf.ranked(KURD_MALE, **MALE_MIXED),
        female=Zipf.ranked(KURD_FEMALE, **FEMALE),
        family=(
            (
                Zipf.ranked(_interleave(_KURD_TRIBES, _places(_KURD_PLACES), _KURD_O), **SURNAME),
                0.40,
                0.0,
            ),
            ("father", 0.25, 0.0),
            ("grandfather", 0.20, 0.0),
            ("father+grandfather", 0.15, 0.0),
        ),
    )
    persian = NameTradition(
        code="persian",
        male=Zipf.ranked(PERSIAN_MALE, **MALE_MIXED),
        female=Zipf.ranked(PERSIAN_FEMALE, **FEMALE),
        family=((Zipf(_persian_surnames()), 1.0, 0.0),),
    )
    af_male = Zipf(
        [
            *_ranked(AF_MALE_SIMPLE, **MALE, share=0.55),
            *_compounds(["Abdul"], _AF_ABDUL, " ", 0.15, tail_q=3),
            *_compounds(_AF_ULLAH, ["ullah"], "", 0.10, head_q=3),
            *_compounds(_AF_UDDIN, ["uddin"], "", 0.04, head_q=3),
            *_compounds(_AF_FIRST, _AF_SECOND, " ", 0.16, head_q=1, tail_q=3),
        ]
    )
    af_female = Zipf.ranked(AF_FEMALE, **FEMALE)
    pashtun_tribal = Zipf(
        [
            *_compounds(_AF_ZAI_ROOTS, ["zai", "khel"], "", 0.6, head_q=10),
            *_ranked(_AF_PASHTUN, **SURNAME, share=0.4),
        ]
    )
    dari_family = Zipf(
        [
            *_ranked(
                [r if r.endswith("i") else r + "i" for r in _AF_DARI_ROOTS], **SURNAME, share=0.7
            ),
            *_ranked(_places(_AF_PLACES), **SURNAME, share=0.3),
        ]
    )
    pashto = NameTradition(
        code="pashto",
        male=af_male,
        female=af_female,
        family=((pashtun_tribal, 0.6, 0.0), (dari_family, 0.05, 0.0), ("father", 0.35, 0.0)),
    )
    dari = NameTradition(
        code="dari",
        male=af_male,
        female=af_female,
        family=((dari_family, 0.6, 0.0), (pashtun_tribal, 0.05, 0.0), ("father", 0.35, 0.0)),
    )
    bantu = _compounds(_BANTU_PREFIXES, _BANTU_STEMS, "", 0.5, head_q=3, tail_q=3)
    ca_male = Zipf.ranked(CA_MALE, s=1.0, q=2.0)
    ca_female = Zipf.ranked(CA_FEMALE, **FEMALE)
    cameroon = NameTradition(
        code="cameroon",
        male=ca_male,
        female=ca_female,
        family=((Zipf([*_ranked(_CM_FAMILIES, **SURNAME, share=0.5), *bantu]), 1.0, 0.0),),
    )
    congo_family = Zipf([*_ranked(_CD_FAMILIES, **SURNAME, share=0.5), *bantu])
    congo = NameTradition(
        code="congo",
        male=ca_male,
        female=ca_female,
        family=((congo_family, 1.0, 0.0),),
        postname=congo_family,
        postname_rate=0.25,
    )
    return NameModel(
        traditions={
            "IQ": ((kurdish, 0.55), (iq_arab, 0.45)),
            "SY": ((sy_arab, 0.80), (kurdish, 0.20)),
            "YE": ((ye_arab, 1.0),),
            "AF": ((dari, 0.55), (pashto, 0.45)),
            "IR": ((persian, 1.0),),
            "CM": ((cameroon, 1.0),),
            "CD": ((congo, 1.0),),
        }
    )


NAME_MODEL = _build()


def tradition_of(code: str) -> NameTradition:
    """A tradition by its code (for tests and documentation)."""
    for options in NAME_MODEL.traditions.values():
        for tradition, _ in options:
            if tradition.code == code:
                return tradition
    raise KeyError(code)

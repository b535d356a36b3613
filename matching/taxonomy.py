"""The service taxonomy: the categories a time bank's help falls into.

Kept free of heavy imports: the ledger seeds each new bank's category list from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Category", "CATEGORIES", "CATEGORY_BY_ID"]


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str = ""
    terms: tuple[str, ...] = field(default=())


CATEGORIES: tuple[Category, ...] = (
    Category("shopping", "Shopping and errands"),
    Category("prescriptions", "Collecting prescriptions"),
    Category("gardening", "Gardening: weeding, grass, hedges"),
    Category("garden_advice", "Garden design and growing advice"),
    Category("snow_clearing", "Clearing snow and gritting paths"),
    Category("befriending", "Befriending visits in person"),
    Category("phone_befriending", "Phone befriending"),
    Category("dementia_sitting", "Sitting with a person with dementia"),
    Category("tech_help", "Help with computers, tablets and phones"),
    Category("diy_repairs", "DIY and small household repairs"),
    Category("appliance_repair", "Repairing small appliances and sewing machines"),
    Category("decorating", "Painting and decorating"),
    Category("flatpack", "Flat-pack furniture assembly"),
    Category("heavy_lifting", "Moving furniture and heavy lifting"),
    Category("cleaning", "Cleaning and housework"),
    Category("laundry_ironing", "Laundry and ironing"),
    Category("meals", "Cooking meals for someone"),
    Category("cooking_lessons", "Teaching someone to cook"),
    Category("baking", "Baking for events"),
    Category("lifts", "Lifts to appointments"),
    Category("driving_practice", "Supervised practice for learner drivers"),
    Category("appointment_escort", "Going with someone to appointments"),
    Category("pet_care", "Dog walking and pet care"),
    Category("walking_buddy", "Walking buddy and exercise company"),
    Category("chair_yoga", "Chair yoga and seated exercise"),
    Category("music_lessons", "Music lessons"),
    Category("sewing_alterations", "Knitting, sewing and alterations"),
    Category("arts_crafts", "Arts and crafts"),
    Category("photography", "Photography"),
    Category("paperwork", "Paperwork, form filling and letters"),
    Category("budgeting", "Budgeting and money advice"),
    Category("cv_jobs", "CVs and job applications"),
    Category("english_practice", "English conversation practice"),
    Category("language_lessons", "Learning a foreign language"),
    Category("translate_polish", "Polish translation and interpreting"),
    Category("translate_urdu", "Urdu translation and interpreting"),
    Category("translate_arabic", "Arabic translation and interpreting"),
    Category("tutoring", "Homework help and tutoring"),
    Category("childcare", "Childcare and babysitting"),
    Category("haircuts", "Haircuts at home"),
    Category("bike_repair", "Bike repair"),
    Category("family_history", "Family history research"),
)

CATEGORY_BY_ID: dict[str, Category] = {c.id: c for c in CATEGORIES}

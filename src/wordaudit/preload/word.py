"""For Word files: the reader and the parts of python-docx it opens packages with."""

from docx.opc import packuri as _packuri  # noqa: F401 - imported for its side effect: warm modules
from docx.opc import part as _part  # noqa: F401
from docx.opc import pkgreader as _pkgreader  # noqa: F401
from lxml import etree as _etree  # noqa: F401

from wordaudit.extract import docx as _docx  # noqa: F401

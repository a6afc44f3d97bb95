"""The committed tables, exception classes and stop reasons agree with the C header."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import gradient_descent as gd
from gradient_descent import _capi, _header_tables, _library, errors

PYTHON_DIR = Path(__file__).resolve().parents[1]
HEADER = PYTHON_DIR.parents[1] / "include" / "gradient_descent.h"


def _generator():
    spec = importlib.util.spec_from_file_location(
        "generate_tables", PYTHON_DIR / "tools" / "generate_tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not HEADER.exists(), reason="needs the repository's header")
def test_generated_module_equals_a_fresh_generation_from_the_header():
    generator = _generator()
    fresh = generator.render(HEADER.read_text(encoding="utf-8"))
    committed = Path(_header_tables.__file__).read_text(encoding="utf-8")
    assert committed == fresh, "run bindings/python/tools/generate_tables.py"


@pytest.mark.skipif(not HEADER.exists(), reason="needs the repository's header")
def test_the_drift_check_fails_when_the_header_gains_a_status(tmp_path):
    generator = _generator()
    text = HEADER.read_text(encoding="utf-8").replace(
        'X(GD_E_FOREIGN,', 'X(GD_E_NEW_THING, -99, "new") \\\n    X(GD_E_FOREIGN,')
    header = tmp_path / "gradient_descent.h"
    header.write_text(text, encoding="utf-8")
    module = tmp_path / "tables.py"
    module.write_text(Path(_header_tables.__file__).read_text(encoding="utf-8"))
    assert generator.main(["--check", "--header", str(header), "--module", str(module)]) == 1
    assert generator.main(["--header", str(header), "--module", str(module)]) == 0
    assert "GD_E_NEW_THING" in module.read_text()
    assert generator.main(["--check", "--header", str(header), "--module", str(module)]) == 0


def test_the_package_major_is_the_headers_major_and_the_library_matches_the_header():
    assert _library.ABI_MAJOR == _capi.GD_VERSION_MAJOR
    assert gd.__version__.split(".")[0] == str(_capi.GD_VERSION_MAJOR)
    assert _capi.gd_version_number() == _capi.GD_VERSION_NUMBER
    assert gd.library_version() == "{}.{}.{}".format(*_header_tables.HEADER_VERSION)


def test_status_texts_equal_the_library_texts():
    for name, value, text in _header_tables.STATUS_TABLE:
        assert _capi.gd_status_string(value).decode() == text, name
        assert getattr(_capi, name) == value


def test_stop_reason_texts_equal_the_library_texts():
    for name, value, text in _header_tables.STOP_REASON_TABLE:
        assert _capi.gd_stop_reason_string(value).decode() == text, name
        reason = gd.StopReason(value)
        assert reason.name == name.removeprefix("GD_STOP_")
        assert reason.description == text


EXPECTED_CLASSES = {
    -1: ("NullArgumentError", ValueError),
    -2: ("InvalidArgumentError", ValueError),
    -3: ("DimensionMismatchError", ValueError),
    -4: ("UnknownNameError", ValueError),
    -5: ("UnknownKeyError", KeyError),
    -6: ("OutOfMemoryError", MemoryError),
    -7: ("CallbackError", None),
    -8: ("NonFiniteError", FloatingPointError),
    -9: ("PluginError", None),
    -10: ("BadStateError", ValueError),
    -11: ("ForeignError", None),
    -12: ("LineSearchError", None),
}


def test_every_failure_status_has_its_exception_class():
    failures = {value for _name, value, _text in _header_tables.STATUS_TABLE if value < 0}
    assert failures == set(EXPECTED_CLASSES)
    for status, (class_name, builtin) in EXPECTED_CLASSES.items():
        cls = getattr(gd, class_name)
        assert cls is getattr(errors, class_name)
        assert issubclass(cls, gd.GradientDescentError)
        if builtin is not None:
            assert issubclass(cls, builtin)
        error = errors.error_for_status(status, "detail message")
        assert type(error) is cls
        assert error.status == status
        assert str(error) == "detail message"
        assert error.status_text == _capi.gd_status_string(status).decode()


def test_an_empty_detail_falls_back_to_the_status_text():
    error = errors.error_for_status(-9, "")
    assert str(error) == "a plugin could not be loaded or used"


def test_an_unknown_status_is_a_plain_gradient_descent_error():
    error = errors.error_for_status(-1234, "")
    assert type(error) is gd.GradientDescentError
    assert error.status == -1234 and "-1234" in str(error)


def test_unknown_key_error_prints_its_message_not_a_repr():
    error = errors.error_for_status(-5, "unknown key 'foo'")
    assert str(error) == "unknown key 'foo'"


def test_the_written_out_exception_classes_are_the_status_table():
    """errors.py writes one class per code; they must be the header's table exactly."""
    from gradient_descent import errors
    from gradient_descent._header_tables import STATUS_TABLE

    failures = [(name, value, text) for name, value, text in STATUS_TABLE if value != 0]
    classes = {cls.status: cls for cls in errors._CLASSES}
    assert sorted(classes) == sorted(value for _name, value, _text in failures)
    for name, value, text in failures:
        cls = classes[value]
        assert cls.__name__ == errors.class_name(name)
        assert (cls.status_name, cls.status_text) == (name, text)
        assert getattr(gd, cls.__name__) is cls and cls.__name__ in gd.__all__
        assert errors.error_for_status(value, "detail").__class__ is cls


def test_the_written_out_constants_of_capi_are_the_tables():
    from gradient_descent._header_tables import STATUS_TABLE, STOP_REASON_TABLE

    for name, value, _text in STATUS_TABLE + STOP_REASON_TABLE:
        assert getattr(_capi, name) == value, name

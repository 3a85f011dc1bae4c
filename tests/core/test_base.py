import inspect

import numpy as np
import pytest

from scratch_genmod.core import BaseEstimator, NotFittedError, check_is_fitted, clone


class Toy(BaseEstimator):
    def __init__(self, alpha=1.0, inner=None, random_state=None, tags=()):
        self.alpha = alpha
        self.inner = inner
        self.random_state = random_state
        self.tags = tags

    def fit(self):
        self.value_ = self.alpha * 2
        return self

    def draw(self, random_state=None):
        return self._random_generator(random_state).random()


def test_get_params_reads_init_signature():
    assert Toy(alpha=3.0).get_params() == {"alpha": 3.0, "inner": None, "random_state": None, "tags": ()}


def test_deep_params_and_nested_set_params():
    outer = Toy(inner=Toy(alpha=2.0))
    params = outer.get_params(deep=True)
    assert params["inner__alpha"] == 2.0
    outer.set_params(inner__alpha=5.0, alpha=0.5)
    assert outer.inner.alpha == 5.0 and outer.alpha == 0.5
    assert "inner__alpha" not in outer.get_params(deep=False)


def test_set_params_unknown_name_is_named():
    with pytest.raises(ValueError, match="invalid parameter 'beta' for Toy"):
        Toy().set_params(beta=1)


def test_varargs_init_is_rejected():
    class Bad(BaseEstimator):
        def __init__(self, **kwargs):
            pass

    with pytest.raises(TypeError, match="explicitly"):
        Bad().get_params()


def test_repr_shows_only_non_default_params():
    assert repr(Toy()) == "Toy()"
    assert repr(Toy(alpha=2.0, tags=("a",))) == "Toy(alpha=2.0, tags=('a',))"
    assert repr(Toy(inner=Toy(alpha=0.0))) == "Toy(inner=Toy(alpha=0.0))"
    # arrays are never "equal to the default": always shown, never an ambiguous-truth error
    assert repr(Toy(alpha=np.zeros(2))).startswith("Toy(alpha=array(")


def test_check_is_fitted_names_class_and_method():
    toy = Toy()
    with pytest.raises(NotFittedError, match=r"This Toy is not fitted yet: call fit\(\.\.\.\) before predict\(\)"):
        check_is_fitted(toy, "predict")
    assert issubclass(NotFittedError, ValueError)
    check_is_fitted(toy.fit(), "predict")
    with pytest.raises(NotFittedError):
        check_is_fitted(toy, "sample", attributes=["means_"])


def test_random_state_semantics():
    # same seed -> same stream; the own generator advances between calls
    a, b = Toy(random_state=0), Toy(random_state=0)
    first = [a.draw(), a.draw()]
    assert first == [b.draw(), b.draw()]
    assert first[0] != first[1]
    assert first[0] == np.random.default_rng(0).random()
    # seed 0 is a seed like any other (not "no seed")
    assert Toy(random_state=0).draw() == Toy(random_state=0).draw()
    # a random_state passed to the method wins and leaves the own stream alone
    c = Toy(random_state=0)
    assert c.draw(random_state=7) == np.random.default_rng(7).random()
    assert c.draw() == first[0]
    # a shared Generator is used as is and advances
    g = np.random.default_rng(3)
    ref = np.random.default_rng(3)
    assert Toy(random_state=g).draw() == ref.random()
    assert Toy(random_state=g).draw() == ref.random()


def test_set_params_random_state_resets_stream():
    t = Toy(random_state=1)
    t.draw()
    t.set_params(random_state=1)
    assert t.draw() == np.random.default_rng(1).random()


def test_clone_is_unfitted_copy_with_independent_params():
    tags = [1, 2]
    t = Toy(alpha=4.0, inner=Toy(alpha=1.0), tags=tags).fit()
    c = clone(t)
    assert not hasattr(c, "value_")
    assert c.get_params()["inner__alpha"] == 1.0 and c.inner is not t.inner
    c.tags.append(3)
    assert tags == [1, 2]
    g = np.random.default_rng(0)
    assert clone(Toy(random_state=g)).random_state is g
    with pytest.raises(TypeError, match="estimator must be"):
        clone(object())


def test_check_is_fitted_names_the_missing_call_of_a_later_step():
    toy = Toy().fit()  # fitted, but a later step (fit_density) has not run
    with pytest.raises(NotFittedError, match=r"This Toy has no density_ yet: "
                                             r"call fit_density\(\.\.\.\) before sample\(\)"):
        check_is_fitted(toy, "sample", ["density_"], fit_call="fit_density")
    toy.density_ = object()
    check_is_fitted(toy, "sample", ["density_"], fit_call="fit_density")

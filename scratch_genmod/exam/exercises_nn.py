"""Exercises of section 4 keyed by :mod:`scratch_genmod.nn.textbook`: backpropagation and latent interpolation."""

import numpy as np

from scratch_genmod.exam.exercise import Exercise, fmt_number, graded, md_table, tr
from scratch_genmod.nn.textbook import dense_backward, dense_forward, mse, mse_gradient, relu, relu_backward

__all__ = ["backprop_step", "latent_interpolation", "MAKERS"]


def _vector(values, lang):
    sep = " ; " if lang == "fr" else ", "
    return "(" + sep.join(fmt_number(v, lang) for v in values) + ")"


def backprop_step(rng, lang):
    """The gradient of every weight of a 2-2-1 network (ReLU hidden layer, squared error) for one example.

    Forward: a_j = sum_i w_{i,j} x_i + b_j, h_j = relu(a_j), y^ = sum_j v_j h_j + c,
    L = (y^ - y)^2. Backward: dL/dy^ = 2 (y^ - y), dL/dv_j = dL/dy^ h_j,
    dL/dc = dL/dy^, dL/da_j = dL/dy^ v_j [a_j > 0], dL/dw_{i,j} = dL/da_j x_i,
    dL/db_j = dL/da_j.
    """
    for _ in range(100):  # redraw (bounded) until no unit sits on ReLU's kink and the loss is not 0
        x = rng.integers(-2, 3, size=2)
        W, b = rng.integers(-2, 3, size=(2, 2)), rng.integers(-1, 2, size=2)
        v, c, y = rng.integers(-2, 3, size=(2, 1)), rng.integers(-1, 2, size=1), int(rng.integers(-2, 3))
        a = x @ W + b
        if np.all(a != 0) and np.any(a > 0) and np.all(v != 0) and (np.maximum(a, 0) @ v + c)[0] != y:
            break
    # Forward then backward, layer by layer, with the textbook's functions (float64: exact on these integers).
    X, target = x[None, :].astype(float), np.array([[float(y)]])
    pre = dense_forward(X, W.astype(float), b.astype(float))
    hidden = relu(pre)
    y_hat = dense_forward(hidden, v.astype(float), c.astype(float))
    loss, grad = mse(y_hat, target), mse_gradient(y_hat, target)
    grad_h, grad_v, grad_c = dense_backward(hidden, v.astype(float), grad)
    _, grad_W, grad_b = dense_backward(X, W.astype(float), relu_backward(pre, grad_h))
    w_table = md_table(["", "$j = 1$", "$j = 2$"],
                       [[f"$w_{{{i + 1},j}}$"] + [int(w) for w in W[i]] for i in range(2)]
                       + [["$b_j$"] + [int(t) for t in b], ["$v_j$"] + [int(t) for t in v[:, 0]]])
    statement = tr(
        lang,
        "A 2-2-1 network computes $a_j = w_{1,j} x_1 + w_{2,j} x_2 + b_j$, $h_j = \\max(a_j, 0)$ (ReLU) "
        "and $\\hat y = v_1 h_1 + v_2 h_2 + c$, with the weights below and "
        f"$c = {int(c[0])}$. For the example $x = {_vector(x, lang)}$, $y = {y}$ and the loss "
        "$L = (\\hat y - y)^2$, do one forward and one backward pass: give $\\hat y$, $L$ and the gradient "
        "of $L$ with respect to every weight and bias.",
        "Un réseau 2-2-1 calcule $a_j = w_{1,j} x_1 + w_{2,j} x_2 + b_j$, $h_j = \\max(a_j, 0)$ (ReLU) "
        "et $\\hat y = v_1 h_1 + v_2 h_2 + c$, avec les poids ci-dessous et "
        f"$c = {int(c[0])}$. Pour l'exemple $x = {_vector(x, lang)}$, $y = {y}$ et la perte "
        "$L = (\\hat y - y)^2$, faire une passe avant et une passe arrière : donner $\\hat y$, $L$ et le "
        "gradient de $L$ par rapport à chaque poids et chaque biais.",
    )
    statement += "\n\n" + w_table
    h = np.maximum(a, 0)
    answer = (f"$a = {_vector(a, lang)}$, $h = {_vector(h, lang)}$, $\\hat y = {fmt_number(y_hat[0, 0], lang)}$, "
              f"$L = {fmt_number(loss, lang)}$, $\\partial L / \\partial \\hat y = {fmt_number(grad[0, 0], lang)}$.")
    answer += "\n\n" + md_table(["", "$j = 1$", "$j = 2$"],
                                [[f"$\\partial L / \\partial w_{{{i + 1},j}}$"]
                                 + [fmt_number(g, lang) for g in grad_W[i]] for i in range(2)]
                                + [["$\\partial L / \\partial b_j$"] + [fmt_number(g, lang) for g in grad_b],
                                   ["$\\partial L / \\partial v_j$"] + [fmt_number(g, lang) for g in grad_v[:, 0]]])
    answer += f"\n\n$\\partial L / \\partial c = {fmt_number(grad_c[0], lang)}$. " + tr(
        lang, "A unit with $a_j < 0$ passes no gradient back (ReLU's derivative is 0 there).",
        "Une unité où $a_j < 0$ ne transmet aucun gradient (la dérivée de ReLU y vaut 0).")
    items = [graded("y^", y_hat[0, 0]), graded("L", loss)]
    items += [graded(f"dL/dw_{{{i + 1},{j + 1}}}", grad_W[i, j]) for i in range(2) for j in range(2)]
    items += [graded(f"dL/db_{j + 1}", grad_b[j]) for j in range(2)]
    items += [graded(f"dL/dv_{j + 1}", grad_v[j, 0]) for j in range(2)] + [graded("dL/dc", grad_c[0])]
    return Exercise("backprop_step", tr(lang, "One backpropagation step", "Une étape de rétropropagation"),
                    statement, answer, data={"x": x, "W": W, "b": b, "v": v[:, 0], "c": int(c[0]), "y": y},
                    solution={"y_hat": float(y_hat[0, 0]), "loss": loss, "grad_W": grad_W,
                              "grad_b": grad_b, "grad_v": grad_v[:, 0],
                              "grad_c": float(grad_c[0])}, items=items)


def latent_interpolation(rng, lang):
    """The code halfway between two codes, and what the decoder's linear layer gives for it.

    z_{1/2} = (z_A + z_B) / 2 and x = W z_{1/2} + b (an affine layer, so also the mean of D(z_A) and D(z_B)).
    """
    z_a, z_b = rng.integers(-3, 4, size=2), rng.integers(-3, 4, size=2)
    while np.array_equal(z_a, z_b):  # two different codes (a redraw ends: 49 codes to draw from)
        z_b = rng.integers(-3, 4, size=2)
    W, b = rng.integers(-2, 3, size=(3, 2)), rng.integers(-2, 3, size=3)
    z_mid = np.mean([z_a, z_b], axis=0)
    x_mid = dense_forward(z_mid[None, :], W.T.astype(float), b.astype(float))[0]  # x = W z + b, as z W^T + b
    rows = [[f"$W_{{{r + 1},\\cdot}}$"] + [int(w) for w in W[r]] + [int(b[r])] for r in range(3)]
    statement = tr(
        lang,
        f"An autoencoder $H = D \\circ E$ has a 2-dimensional code. Two images have the codes "
        f"$z_A = {_vector(z_a, lang)}$ and $z_B = {_vector(z_b, lang)}$. The decoder's last layer is linear, "
        "$x = W z + b$, with $W$ and $b$ below. Which code $z$ lies halfway between $z_A$ and $z_B$ on the "
        "line joining them? What does this layer give for it?",
        f"Un autoencodeur $H = D \\circ E$ a un code de dimension 2. Deux images ont pour codes "
        f"$z_A = {_vector(z_a, lang)}$ et $z_B = {_vector(z_b, lang)}$. La dernière couche du décodeur est "
        "linéaire, $x = W z + b$, avec $W$ et $b$ ci-dessous. Quel code $z$ est à mi-chemin entre $z_A$ et "
        "$z_B$ sur le segment qui les joint ? Que donne cette couche pour ce code ?",
    )
    statement += "\n\n" + md_table(["", "$z_1$", "$z_2$", "$b$"], rows)
    answer = (f"$z = \\frac12 (z_A + z_B) = {_vector(z_mid, lang)}$; " if lang == "en" else
              f"$z = \\frac12 (z_A + z_B) = {_vector(z_mid, lang)}$ ; ")
    answer += f"$x = W z + b = {_vector(x_mid, lang)}$. " + tr(
        lang, "The layer is affine, so this is also the mean of its outputs for $z_A$ and $z_B$.",
        "La couche est affine : c'est aussi la moyenne de ses sorties pour $z_A$ et $z_B$.")
    items = [graded(f"z_{i + 1}", z) for i, z in enumerate(z_mid)]
    items += [graded(f"x_{i + 1}", v) for i, v in enumerate(x_mid)]
    return Exercise("latent_interpolation", tr(lang, "Halfway between two codes", "À mi-chemin entre deux codes"),
                    statement, answer, data={"z_a": z_a, "z_b": z_b, "W": W, "b": b},
                    solution={"z": z_mid, "x": x_mid}, items=items)


MAKERS = [backprop_step, latent_interpolation]
